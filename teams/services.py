"""Writes for teams: HR's team policy. Who reports to whom is set on the profile (accounts.services)."""

from .models import TeamPolicy


def team_policy_update(*, include_indirect_reports: bool) -> TeamPolicy:
    policy, _ = TeamPolicy.objects.update_or_create(
        pk=TeamPolicy.SINGLETON_PK, defaults={"include_indirect_reports": include_indirect_reports}
    )
    return policy
