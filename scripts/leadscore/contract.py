"""The raw data contract (SPEC section 2): entities, their columns, types and keys.

The loader validates files against it, the generator writes files that satisfy it, and the
dbt sources describe the tables it produces in the warehouse's ``raw`` schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RAW_SCHEMA = "raw"
REJECTS_TABLE = "load_rejects"

# Column types, as the loader casts them. Every timestamp is stored as a UTC timestamp
# without time zone; text is VARCHAR.
TEXT = "text"
TIMESTAMP = "timestamp"
INTEGER = "integer"
NUMBER = "number"
BOOLEAN = "boolean"

DUCKDB_TYPES = {
    TEXT: "VARCHAR",
    TIMESTAMP: "TIMESTAMP",
    INTEGER: "BIGINT",
    NUMBER: "DOUBLE",
    BOOLEAN: "BOOLEAN",
}

# Columns every raw table carries besides the contract: where the row came from.
CUSTOM_ATTRIBUTES_COLUMN = "custom_attributes"  # JSON object text of the non-contract columns
METADATA_COLUMNS = {
    "_source_file": TEXT,
    "_source_row": INTEGER,
    "_loaded_at": TIMESTAMP,
}


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: dict[str, str]  # contract column -> type, in table order
    required: tuple[str, ...]
    keeps_custom_columns: bool = False
    # columns of which at least one must be present and filled (events: contact_id or email)
    one_of: tuple[str, ...] = field(default_factory=tuple)


ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in [
        Entity(
            name="contacts",
            key=("contact_id",),
            columns={
                "contact_id": TEXT,
                "created_at": TIMESTAMP,
                "updated_at": TIMESTAMP,
                "email": TEXT,
                "first_name": TEXT,
                "last_name": TEXT,
                "job_title": TEXT,
                "company_name": TEXT,
                "account_id": TEXT,
                "industry": TEXT,
                "employee_count": INTEGER,
                "annual_revenue": NUMBER,
                "country": TEXT,
                "state": TEXT,
                "city": TEXT,
                "phone": TEXT,
                "lead_source": TEXT,
                "purchase_authority": TEXT,
                "purchase_timeline": TEXT,
                "uses_competitor": BOOLEAN,
                "has_marketing_consent": BOOLEAN,
                "is_do_not_contact": BOOLEAN,
            },
            required=("contact_id", "created_at"),
            keeps_custom_columns=True,
        ),
        Entity(
            name="accounts",
            key=("account_id",),
            columns={
                "account_id": TEXT,
                "name": TEXT,
                "domain": TEXT,
                "industry": TEXT,
                "employee_count": INTEGER,
                "annual_revenue": NUMBER,
                "country": TEXT,
                "is_target_account": BOOLEAN,
                "account_type": TEXT,
                "created_at": TIMESTAMP,
                "updated_at": TIMESTAMP,
            },
            required=("account_id",),
            keeps_custom_columns=True,
        ),
        Entity(
            name="events",
            key=("event_id",),
            columns={
                "event_id": TEXT,
                "event_type": TEXT,
                "occurred_at": TIMESTAMP,
                "contact_id": TEXT,
                "email": TEXT,
                "url": TEXT,
                "asset": TEXT,
                "campaign": TEXT,
                "properties": TEXT,
                "anonymous_id": TEXT,
            },
            required=("event_type", "occurred_at"),
            one_of=("contact_id", "email"),
        ),
        Entity(
            name="opportunities",
            key=("opportunity_id",),
            columns={
                "opportunity_id": TEXT,
                "created_at": TIMESTAMP,
                "account_id": TEXT,
                "contact_id": TEXT,
                "stage": TEXT,
                "is_closed": BOOLEAN,
                "is_won": BOOLEAN,
                "closed_at": TIMESTAMP,
                "amount": NUMBER,
            },
            required=("opportunity_id", "created_at"),
        ),
        Entity(
            name="lead_status_changes",
            key=("contact_id", "changed_at", "status"),
            columns={
                "contact_id": TEXT,
                "status": TEXT,
                "changed_at": TIMESTAMP,
                "reason": TEXT,
                "owner": TEXT,
            },
            required=("contact_id", "status", "changed_at"),
        ),
        Entity(
            name="score_adjustments",
            key=("adjustment_id",),
            columns={
                "adjustment_id": TEXT,
                "contact_id": TEXT,
                "points": NUMBER,
                "reason": TEXT,
                "created_at": TIMESTAMP,
                "created_by": TEXT,
                "expires_at": TIMESTAMP,
            },
            required=("contact_id", "points", "reason", "created_at"),
        ),
    ]
}

# Load order: events and the others refer to contacts, so contacts come first.
LOAD_ORDER = ("accounts", "contacts", "events", "opportunities", "lead_status_changes", "score_adjustments")


def entity_for_file(file_name: str) -> Entity | None:
    """The entity a file belongs to: its name starts with the entity name (longest match wins)."""
    lowered = file_name.lower()
    for name in sorted(ENTITIES, key=len, reverse=True):
        if lowered.startswith(name):
            return ENTITIES[name]
    return None


# --------------------------------------------------------------------------------------------- connectors
# `leadscore load --source SYSTEM` (leadscore.load_source) lands these tables as they are.

Key = tuple[str, ...]  # the columns that identify a row; () = a row is its whole content
ID: Key = ("id",)

# The tables each system's connector writes (the names its dbt sources read), with each table's key.
# One place: the adapters' sources files (models/staging/<system>/_<system>__sources.yml) name the same tables;
# a table an adapter starts reading is added here. Column and table names: ../shared/research/connectors.md.
_HUBSPOT_EMAIL_EVENT_TYPES = (
    "open", "click", "bounce", "delivered", "sent", "dropped", "spam_report", "status_change", "forward", "print",
    "deferred",
)
_SEGMENT_TABLES: dict[str, Key] = {
    "identifies": ID, "users": ID, "tracks": ID, "pages": ID, "screens": ID, "groups": ID, "aliases": ID,
    "accounts": ID,
}
SYSTEM_TABLES: dict[str, dict[str, Key]] = {
    "hubspot": {
        "contact": ID,
        "company": ID,
        "deal": ("deal_id",),
        "deal_contact": ("deal_id", "contact_id"),
        "deal_company": ("deal_id", "company_id"),
        "deal_pipeline": ("pipeline_id",),
        "deal_pipeline_stage": ("stage_id",),
        "email_event": ID,
        **{f"email_event_{kind}": ID for kind in _HUBSPOT_EMAIL_EVENT_TYPES},
        "email_campaign": ID,
        "engagement": ID,
        **{f"engagement_{kind}": ("engagement_id",) for kind in ("call", "email", "meeting", "note", "task")},
        "engagement_contact": ("engagement_id", "contact_id"),
        "engagement_company": ("engagement_id", "company_id"),
        "engagement_deal": ("engagement_id", "deal_id"),
        "contact_list": ID,
        "contact_list_member": ("contact_list_id", "contact_id"),
        "contact_form_submission": (),
        "form": ("guid",),
        "contact_property_history": (),
        "owner": ("owner_id",),
    },
    "salesforce": {
        name: ID
        for name in (
            "lead", "contact", "account", "opportunity", "opportunity_contact_role", "campaign", "campaign_member",
            "task", "event", "user", "lead_history", "opportunity_history", "record_type",
        )
    },
    "marketo": {
        name: ID
        for name in (
            "lead", "activity_type", "campaign", "program", "activity_visit_webpage", "activity_fill_out_form",
            "activity_send_email", "activity_email_delivered", "activity_open_email", "activity_click_email",
            "activity_click_link", "activity_unsubscribe_email", "activity_email_bounced",
            "activity_email_bounced_soft", "activity_change_data_value", "activity_change_score",
            "activity_merge_leads", "activity_delete_lead",
        )
    },
    "segment": dict(_SEGMENT_TABLES),
    "rudderstack": dict(_SEGMENT_TABLES),
}
