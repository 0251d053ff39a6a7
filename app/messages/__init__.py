"""The one catalogue of Chinese texts that Python code shows to people (templates hold the rest).

`msg(key, **params)` is a message, formatted; `label(table, code)` names a code (a status, a kind, a role),
and `LABELS[table]` is the whole table, which Python and the templates (a Jinja global) read alike.
`OPERATIONS` describes the host operations to designers. The texts are kept in parts, by room: the
platform's (`platform`), Tianchang's (`governance`) and the API description's (`openapi`, messages only).
A leaf: it imports nothing else of the app, so the engine may use it too.
"""

from app.messages import (
    assessment,
    assessment_appeals,
    assessment_formulas,
    assessment_pages,
    call_pages,
    console,
    console_list,
    design,
    design_diff,
    design_scenarios,
    escalation,
    governance,
    migrations,
    openapi,
    overview,
    people_admin,
    photos,
    platform,
    record,
    record_governance,
    record_story,
    staff_pages,
)


def _merged(*parts):
    merged = {}
    for part in parts:
        duplicated = merged.keys() & part.keys()
        if duplicated:
            raise RuntimeError(f"catalogue keys written twice: {sorted(duplicated)}")
        merged.update(part)
    return merged


PARTS = (platform, governance, openapi, design, design_diff, design_scenarios, console, console_list, migrations,
         people_admin, photos, staff_pages, overview, record, record_story, record_governance,
         call_pages, assessment, assessment_pages, assessment_appeals, assessment_formulas,
         escalation)
MESSAGES = _merged(*(part.MESSAGES for part in PARTS))
LABELS = {table: _merged(*(getattr(part, "LABELS", {}).get(table, {}) for part in PARTS))
          for table in set().union(*(getattr(part, "LABELS", {}).keys() for part in PARTS))}
OPERATIONS = _merged(platform.OPERATIONS, governance.OPERATIONS, design.OPERATIONS, assessment_appeals.OPERATIONS,
                     escalation.OPERATIONS)
SCHEMA_MESSAGES = platform.SCHEMA_MESSAGES
SCHEMA_MESSAGE_FALLBACK = platform.SCHEMA_MESSAGE_FALLBACK


def msg(key, /, **params):
    """The Chinese message for `key`, formatted with `params`."""
    return MESSAGES[key].format(**params)


def label(table, code, /):
    """The Chinese name of `code` in a label table; the code itself when the table does not know it."""
    return LABELS[table].get(code, code)


def operation_text(name, param=None):
    """What a host operation does, or what one of its parameters means, as designers read it."""
    summary, params = OPERATIONS[name]
    return summary if param is None else params[param]
