"""A small Salesforce warehouse as Fivetran's connector writes it: the tables of the objects the adapter
reads, with the connector's column names and types (snake_case, custom fields with a `_c` suffix,
`is_deleted` and `master_record_id` kept on the rows, `_fivetran_synced`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

SCHEMA = "salesforce"
SYNCED = "2024-06-30 23:00:00"

# table -> (column, DuckDB type) in the connector's order
TABLES: dict[str, list[tuple[str, str]]] = {
    "lead": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("master_record_id", "VARCHAR"), ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"), ("title", "VARCHAR"), ("company", "VARCHAR"), ("city", "VARCHAR"),
        ("state", "VARCHAR"), ("country", "VARCHAR"), ("phone", "VARCHAR"), ("email", "VARCHAR"),
        ("lead_source", "VARCHAR"), ("status", "VARCHAR"), ("industry", "VARCHAR"), ("annual_revenue", "DOUBLE"),
        ("number_of_employees", "INTEGER"), ("owner_id", "VARCHAR"), ("has_opted_out_of_email", "BOOLEAN"),
        ("do_not_call", "BOOLEAN"), ("is_converted", "BOOLEAN"), ("converted_date", "DATE"),
        ("converted_account_id", "VARCHAR"), ("converted_contact_id", "VARCHAR"),
        ("converted_opportunity_id", "VARCHAR"), ("created_date", "TIMESTAMP"), ("last_modified_date", "TIMESTAMP"),
        ("last_activity_date", "DATE"), ("email_bounced_date", "TIMESTAMP"), ("budget_c", "VARCHAR"),
        ("_fivetran_synced", "TIMESTAMP"),
    ],
    "contact": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("master_record_id", "VARCHAR"), ("account_id", "VARCHAR"),
        ("first_name", "VARCHAR"), ("last_name", "VARCHAR"), ("mailing_city", "VARCHAR"),
        ("mailing_state", "VARCHAR"), ("mailing_country", "VARCHAR"), ("phone", "VARCHAR"), ("email", "VARCHAR"),
        ("title", "VARCHAR"), ("lead_source", "VARCHAR"), ("owner_id", "VARCHAR"),
        ("has_opted_out_of_email", "BOOLEAN"), ("do_not_call", "BOOLEAN"), ("created_date", "TIMESTAMP"),
        ("last_modified_date", "TIMESTAMP"), ("budget_c", "VARCHAR"), ("_fivetran_synced", "TIMESTAMP"),
    ],
    "account": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("master_record_id", "VARCHAR"), ("name", "VARCHAR"),
        ("type", "VARCHAR"), ("parent_id", "VARCHAR"), ("billing_country", "VARCHAR"), ("website", "VARCHAR"),
        ("industry", "VARCHAR"), ("annual_revenue", "DOUBLE"), ("number_of_employees", "INTEGER"),
        ("created_date", "TIMESTAMP"), ("last_modified_date", "TIMESTAMP"), ("_fivetran_synced", "TIMESTAMP"),
    ],
    "opportunity": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("account_id", "VARCHAR"), ("name", "VARCHAR"),
        ("stage_name", "VARCHAR"), ("amount", "DOUBLE"), ("close_date", "DATE"), ("lead_source", "VARCHAR"),
        ("is_closed", "BOOLEAN"), ("is_won", "BOOLEAN"), ("campaign_id", "VARCHAR"), ("owner_id", "VARCHAR"),
        ("created_date", "TIMESTAMP"), ("_fivetran_synced", "TIMESTAMP"),
    ],
    "opportunity_contact_role": [
        ("id", "VARCHAR"), ("opportunity_id", "VARCHAR"), ("contact_id", "VARCHAR"), ("role", "VARCHAR"),
        ("is_primary", "BOOLEAN"), ("created_date", "TIMESTAMP"), ("is_deleted", "BOOLEAN"),
        ("_fivetran_synced", "TIMESTAMP"),
    ],
    "campaign": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("name", "VARCHAR"), ("type", "VARCHAR"),
        ("status", "VARCHAR"), ("start_date", "DATE"), ("_fivetran_synced", "TIMESTAMP"),
    ],
    "campaign_member": [
        ("id", "VARCHAR"), ("is_deleted", "BOOLEAN"), ("campaign_id", "VARCHAR"), ("lead_id", "VARCHAR"),
        ("contact_id", "VARCHAR"), ("lead_or_contact_id", "VARCHAR"), ("status", "VARCHAR"),
        ("has_responded", "BOOLEAN"), ("first_responded_date", "DATE"), ("created_date", "TIMESTAMP"),
        ("_fivetran_synced", "TIMESTAMP"),
    ],
    "task": [
        ("id", "VARCHAR"), ("who_id", "VARCHAR"), ("what_id", "VARCHAR"), ("account_id", "VARCHAR"),
        ("subject", "VARCHAR"), ("activity_date", "DATE"), ("status", "VARCHAR"), ("type", "VARCHAR"),
        ("task_subtype", "VARCHAR"), ("is_closed", "BOOLEAN"), ("call_duration_in_seconds", "INTEGER"),
        ("is_deleted", "BOOLEAN"), ("created_date", "TIMESTAMP"), ("_fivetran_synced", "TIMESTAMP"),
    ],
    "event": [
        ("id", "VARCHAR"), ("who_id", "VARCHAR"), ("what_id", "VARCHAR"), ("account_id", "VARCHAR"),
        ("subject", "VARCHAR"), ("activity_date", "DATE"), ("activity_date_time", "TIMESTAMP"),
        ("duration_in_minutes", "INTEGER"), ("type", "VARCHAR"), ("event_subtype", "VARCHAR"),
        ("is_deleted", "BOOLEAN"), ("created_date", "TIMESTAMP"), ("_fivetran_synced", "TIMESTAMP"),
    ],
}

# The people: a lead converted into a contact (Carla), a lead that stays a lead (Otto), a deleted lead
# (Dora), a lead merged into Otto, a contact merged into another (Mike's old record into Mike's).
ROWS: dict[str, list[dict[str, object]]] = {
    "lead": [
        {"id": "00Q000000000001AAA", "first_name": "Carla", "last_name": "Convert", "title": "VP Marketing",
         "company": "Acme Corp", "email": "Carla@Acme.example", "status": "Closed - Converted",
         "industry": "Software", "number_of_employees": 500, "annual_revenue": 20000000.0, "is_converted": True,
         "converted_date": "2024-06-01", "converted_account_id": "001000000000001AAA",
         "converted_contact_id": "003000000000001AAA", "converted_opportunity_id": "006000000000001AAA",
         "created_date": "2024-05-01 09:00:00", "last_modified_date": "2024-06-01 10:00:00",
         "budget_c": "high", "lead_source": "Webinar"},
        {"id": "00Q000000000002AAA", "first_name": "Otto", "last_name": "Open", "title": "Director of IT",
         "company": "Beta GmbH", "country": "Germany", "email": "otto@beta.example",
         "status": "Working - Contacted", "created_date": "2024-05-15 09:00:00",
         "last_modified_date": "2024-06-10 12:00:00", "budget_c": "high"},
        {"id": "00Q000000000003AAA", "first_name": "Dora", "last_name": "Deleted", "title": "CEO",
         "company": "Gamma", "email": "dora@gamma.example", "status": "Open - Not Contacted", "is_deleted": True,
         "created_date": "2024-05-20 09:00:00", "budget_c": "high"},
        {"id": "00Q000000000004AAA", "first_name": "Otto", "last_name": "Open", "company": "Beta",
         "email": "o.open@beta.example", "status": "Open - Not Contacted", "is_deleted": True,
         "master_record_id": "00Q000000000002AAA", "created_date": "2024-05-02 09:00:00"},
    ],
    "contact": [
        {"id": "003000000000001AAA", "account_id": "001000000000001AAA", "first_name": "Carla",
         "last_name": "Convert", "title": "VP Marketing", "email": "carla@acme.example",
         "mailing_country": "United States", "created_date": "2024-06-01 10:00:00",
         "last_modified_date": "2024-06-01 10:00:00", "budget_c": "low"},
        {"id": "003000000000002AAA", "account_id": "001000000000001AAA", "first_name": "Mike",
         "last_name": "Master", "title": "Engineer", "email": "mike@acme.example",
         "created_date": "2024-04-01 09:00:00", "last_modified_date": "2024-06-05 09:00:00"},
        {"id": "003000000000003AAA", "account_id": "001000000000001AAA", "first_name": "Mike",
         "last_name": "Master", "email": "mike.old@acme.example", "is_deleted": True,
         "master_record_id": "003000000000002AAA", "created_date": "2024-03-01 09:00:00",
         "last_modified_date": "2024-06-05 09:00:00"},
    ],
    "account": [
        {"id": "001000000000001AAA", "name": "Acme Corp", "type": "Prospect", "billing_country": "United States",
         "website": "https://www.acme.example/home", "industry": "Software", "number_of_employees": 500,
         "annual_revenue": 20000000.0, "created_date": "2024-06-01 10:00:00"},
        {"id": "001000000000002AAA", "name": "Gone Inc", "is_deleted": True, "created_date": "2024-01-01 09:00:00"},
    ],
    "opportunity": [
        # no contact role: its contact is the one of the lead converted into it
        {"id": "006000000000001AAA", "account_id": "001000000000001AAA", "name": "Acme - platform",
         "stage_name": "Closed Won", "amount": 48000.0, "close_date": "2024-06-25", "is_closed": True,
         "is_won": True, "created_date": "2024-06-01 10:00:00"},
        {"id": "006000000000002AAA", "account_id": "001000000000001AAA", "name": "Acme - expansion",
         "stage_name": "Qualification", "amount": 12000.0, "close_date": "2024-09-30", "is_closed": False,
         "is_won": False, "created_date": "2024-06-20 10:00:00"},
        {"id": "006000000000003AAA", "account_id": "001000000000001AAA", "name": "Deleted deal",
         "stage_name": "Closed Won", "amount": 1.0, "is_closed": True, "is_won": True, "is_deleted": True,
         "close_date": "2024-06-26", "created_date": "2024-06-21 10:00:00"},
    ],
    "opportunity_contact_role": [
        # the role names Mike's merged record: the opportunity goes to Mike's surviving contact
        {"id": "00K000000000001AAA", "opportunity_id": "006000000000002AAA", "contact_id": "003000000000003AAA",
         "role": "Technical Buyer", "is_primary": True, "created_date": "2024-06-20 10:00:00"},
    ],
    "campaign": [
        {"id": "701000000000001AAA", "name": "June webinar", "type": "Webinar", "status": "Completed"},
        {"id": "701000000000002AAA", "name": "Ebook launch", "type": "Email", "status": "Completed"},
    ],
    "campaign_member": [
        # Carla responded as a lead, before her conversion: it counts for her contact
        {"id": "00v000000000001AAA", "campaign_id": "701000000000001AAA", "lead_id": "00Q000000000001AAA",
         "lead_or_contact_id": "00Q000000000001AAA", "status": "Attended", "has_responded": True,
         "first_responded_date": "2024-05-10", "created_date": "2024-05-05 09:00:00"},
        {"id": "00v000000000002AAA", "campaign_id": "701000000000001AAA", "lead_id": "00Q000000000003AAA",
         "lead_or_contact_id": "00Q000000000003AAA", "status": "Attended", "has_responded": True,
         "first_responded_date": "2024-05-25", "created_date": "2024-05-21 09:00:00"},
        # the merged lead's response counts for Otto
        {"id": "00v000000000003AAA", "campaign_id": "701000000000002AAA", "lead_id": "00Q000000000004AAA",
         "lead_or_contact_id": "00Q000000000004AAA", "status": "Downloaded", "has_responded": True,
         "first_responded_date": "2024-05-12", "created_date": "2024-05-03 09:00:00"},
        {"id": "00v000000000004AAA", "campaign_id": "701000000000001AAA", "lead_id": "00Q000000000002AAA",
         "lead_or_contact_id": "00Q000000000002AAA", "status": "Sent", "has_responded": False,
         "created_date": "2024-05-16 09:00:00"},
    ],
    "task": [
        {"id": "00T000000000001AAA", "who_id": "00Q000000000002AAA", "subject": "Call", "activity_date": "2024-06-20",
         "status": "Completed", "type": "Call", "task_subtype": "Call", "is_closed": True,
         "call_duration_in_seconds": 300, "created_date": "2024-06-20 15:00:00"},
        {"id": "00T000000000002AAA", "who_id": "003000000000001AAA", "subject": "Email: pricing",
         "activity_date": "2024-06-12", "status": "Completed", "type": "Email", "task_subtype": "Email",
         "is_closed": True, "created_date": "2024-06-12 15:00:00"},
        {"id": "00T000000000003AAA", "who_id": "003000000000001AAA", "subject": "Follow up",
         "activity_date": "2024-06-28", "status": "Not Started", "type": "Other", "task_subtype": "Task",
         "is_closed": False, "created_date": "2024-06-12 15:00:00"},
        {"id": "00T000000000004AAA", "who_id": "00Q000000000001AAA", "subject": "Discovery call",
         "activity_date": "2024-05-20", "status": "Completed", "type": "Call", "task_subtype": "Call",
         "is_closed": True, "created_date": "2024-05-20 15:00:00"},
        {"id": "00T000000000005AAA", "who_id": "00Q000000000003AAA", "subject": "Call", "activity_date": "2024-05-26",
         "status": "Completed", "type": "Call", "task_subtype": "Call", "is_closed": True,
         "created_date": "2024-05-26 15:00:00"},
        {"id": "00T000000000006AAA", "who_id": "003000000000003AAA", "subject": "Call", "activity_date": "2024-04-10",
         "status": "Completed", "type": "Call", "task_subtype": "Call", "is_closed": True,
         "created_date": "2024-04-10 15:00:00"},
        {"id": "00T000000000007AAA", "who_id": "00Q000000000002AAA", "subject": "Send brochure",
         "activity_date": "2024-06-21", "status": "Completed", "type": "Other", "task_subtype": "Task",
         "is_closed": True, "created_date": "2024-06-21 15:00:00"},
        {"id": "00T000000000008AAA", "who_id": "00Q000000000002AAA", "subject": "Call (deleted)",
         "activity_date": "2024-06-22", "status": "Completed", "type": "Call", "task_subtype": "Call",
         "is_closed": True, "is_deleted": True, "created_date": "2024-06-22 15:00:00"},
    ],
    "event": [
        {"id": "00U000000000001AAA", "who_id": "003000000000001AAA", "subject": "Demo", "activity_date": "2024-06-18",
         "activity_date_time": "2024-06-18 14:00:00", "duration_in_minutes": 60, "type": "Meeting",
         "event_subtype": "Event", "created_date": "2024-06-10 09:00:00"},
    ],
}

DEFAULTS = {"is_deleted": False, "_fivetran_synced": SYNCED}


def write_salesforce_tables(db_path: Path, schema: str = SCHEMA, tables: Iterable[str] | None = None) -> None:
    """Create the connector's tables in db_path (schema `schema`) and insert the rows above: all of them, or
    only `tables` (a connection that syncs some objects)."""
    selected = TABLES if tables is None else {table: TABLES[table] for table in tables}
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {schema}")
        for table, columns in selected.items():
            names = [name for name, _ in columns]
            con.execute(f"drop table if exists {schema}.{table}")
            con.execute(f"create table {schema}.{table} ({', '.join(f'{n} {t}' for n, t in columns)})")
            for row in ROWS.get(table, []):
                unknown = set(row) - set(names)
                assert not unknown, f"{table}: no column {unknown}"
                values = [row.get(name, DEFAULTS.get(name) if name in DEFAULTS else None) for name in names]
                con.execute(
                    f"insert into {schema}.{table} values ({', '.join('?' for _ in names)})", values
                )
