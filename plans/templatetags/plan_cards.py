"""The plan's milestone cards, written in Python: the plan page's largest part, 20–28 cards of a
dozen variables and a status form each, cost about two thirds of its CPU through the template
engine. The markup is exactly what `plans/_milestone_list.html` rendered before (labels, ids,
hidden button text); `plans/tests/test_plan_pages.py` checks it."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def milestone_cards(context) -> SafeString:
    """The `<ol>` of milestone cards, from the context `plans/_milestone_list.html` documents:
    `milestones` (with `status_url` and `edit_url` when forms are shown), `overdue_ids`, `plan`,
    `read_only`, `status_choices`."""
    milestones = context["milestones"]
    overdue_ids = context.get("overdue_ids") or ()
    plan = context["plan"]
    with_forms = plan.is_active and not context.get("read_only")
    csrf = CsrfTokenNode().render(context) if with_forms else ""
    choices = [(value, conditional_escape(label)) for value, label in context.get("status_choices") or ()]
    parts = ['  <ol class="list-unstyled">\n  ']
    for m in milestones:
        parts.append(_card(m, overdue=m.pk in overdue_ids, csrf=csrf if with_forms else None, choices=choices))
    if not milestones:
        more = " yet. Add your own below: a title and a date are enough" if with_forms else ""
        parts.append(f"\n    <li>This plan has no milestones{more}.</li>\n  ")
    parts.append("\n  </ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every value in it escaped above


def _card(m, *, overdue: bool, csrf: str | None, choices: list) -> str:
    esc = conditional_escape
    pk = m.pk
    done = m.is_done
    border = " border-danger" if overdue else (" border-success" if done else "")
    title = esc(m.title)
    tick = '<span class="text-success" aria-hidden="true">✓ </span>' if done else ""
    badge = '<span class="badge text-bg-danger">Overdue</span> ' if overdue else ""
    iso = format_date(m.due_date, "Y-m-d")
    shown = format_date(m.due_date, "j M Y")
    description = f'<p class="small mb-1">{esc(m.description)}</p>' if m.description else ""
    actions = (
        '<ul class="small mb-2">' + "".join(f"<li>{esc(a)}</li>" for a in m.actions) + "</ul>" if m.actions else ""
    )
    note = f'<p class="small mb-1"><strong>Note:</strong> {esc(m.note)}</p>' if m.note else ""
    evidence = (
        f'<p class="small mb-1"><a href="{esc(m.evidence_url)}" rel="noopener noreferrer nofollow">Evidence</a></p>'
        if m.evidence_url
        else ""
    )
    form = ""
    if csrf is not None:
        options = "".join(
            f'<option value="{value}"{" selected" if m.status == value else ""}>{label}</option>'
            for value, label in choices
        )
        form = f"""
        <form method="post" action="{esc(m.status_url)}" class="row g-2 align-items-end no-print">
          {csrf}
          <div class="col-sm-3">
            <label class="form-label small" for="status-{pk}">Status</label>
            <select class="form-select form-select-sm" name="status" id="status-{pk}">
              {options}
            </select>
          </div>
          <div class="col-sm-4">
            <label class="form-label small" for="note-{pk}">Note</label>
            <input class="form-control form-control-sm" type="text" name="note" id="note-{pk}" value="{esc(m.note)}" maxlength="2000">
          </div>
          <div class="col-sm-3">
            <label class="form-label small" for="evidence-{pk}">Evidence link</label>
            <input class="form-control form-control-sm" type="url" name="evidence_url" id="evidence-{pk}" value="{esc(m.evidence_url)}" placeholder="https://">
          </div>
          <div class="col-sm-2 d-flex gap-1">
            <button class="btn btn-sm btn-primary" type="submit">Update<span class="visually-hidden"> {title}</span></button>
            <a class="btn btn-sm btn-outline-secondary" href="{esc(m.edit_url)}">Edit<span class="visually-hidden"> {title}</span></a>
          </div>
        </form>
        """  # noqa: E501 - the markup as the template had it
    return f"""
    <li class="card mb-2{border}" id="m-{pk}">
      <div class="card-body">
        <div class="d-flex flex-wrap justify-content-between gap-2">
          <h3 class="h6 mb-1">{tick}{title}</h3>
          <span class="small">{badge}<span class="badge text-bg-light border">{esc(m.get_kind_display())}</span> due <time datetime="{iso}">{shown}</time></span>
        </div>
        {description}
        {actions}
        {note}
        {evidence}
        {form}
      </div>
    </li>
  """  # noqa: E501
