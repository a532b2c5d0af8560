"""Forms for the public catalog pages: the role-list filter and the role picker for comparing.

Their choices come from lists the view already loaded, so validating a value
costs no query, and `cleaned_data` holds model instances, not slugs.
"""

from collections.abc import Sequence

from django import forms

from roles.models import Discipline, Role, Track


class RoleFilterForm(forms.Form):
    discipline = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "We have no discipline called “%(value)s”. Pick one from the list."},
    )
    track = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "We have no track called “%(value)s”. Pick one from the list."},
    )

    def __init__(self, *args, disciplines: Sequence[Discipline], tracks: Sequence[Track], **kwargs):
        super().__init__(*args, **kwargs)
        self._disciplines = {d.slug: d for d in disciplines}
        self._tracks = {t.slug: t for t in tracks}
        self.fields["discipline"].choices = [("", "All disciplines"), *((d.slug, d.name) for d in disciplines)]
        self.fields["track"].choices = [("", "All tracks"), *((t.slug, t.name) for t in tracks)]

    def clean_discipline(self) -> Discipline | None:
        return self._disciplines.get(self.cleaned_data["discipline"])

    def clean_track(self) -> Track | None:
        return self._tracks.get(self.cleaned_data["track"])


class RoleCompareForm(forms.Form):
    a = forms.ChoiceField(
        label="First role",
        error_messages={
            "required": "Pick a first role to compare.",
            "invalid_choice": "We have no role called “%(value)s”. Pick one from the list.",
        },
    )
    b = forms.ChoiceField(
        label="Second role",
        error_messages={
            "required": "Pick a second role to compare.",
            "invalid_choice": "We have no role called “%(value)s”. Pick one from the list.",
        },
    )

    def __init__(self, *args, roles: Sequence[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self._roles = {r.slug: r for r in roles}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for role in roles:  # in ladder order: grouped by track, by rank within one
            grouped.setdefault(role.track.name, []).append((role.slug, role.name))
        choices = [("", "Choose a role…"), *grouped.items()]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean_a(self) -> Role:
        return self._roles[self.cleaned_data["a"]]

    def clean_b(self) -> Role:
        return self._roles[self.cleaned_data["b"]]

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("a"), cleaned.get("b")
        if a is not None and a == b:
            raise forms.ValidationError(
                "Pick two different roles: you chose %(name)s twice.", code="same_role", params={"name": a.name}
            )
        return cleaned
