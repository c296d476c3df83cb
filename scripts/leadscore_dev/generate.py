"""``leadscore generate``: deterministic synthetic raw files in the raw contract (SPEC section 2).

Every row is computed inside DuckDB from ``range(n)``; randomness is a hash of (seed, row keys,
salt), so the same arguments give byte-identical files and nothing is held in Python memory, which
is what lets it reach a million contacts and tens of millions of events on a small machine.

Each contact carries a hidden propensity that is never written: a *fit* (seniority, company size,
industry, country, email type, ...) and an *intent*. Intent drives how many events a contact makes
and which ones (pricing, demos, case studies rather than blog posts); conversion (opportunities,
won deals) is drawn from sigmoid(fit + intent), so a good score predicts conversion.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb

from leadscore.contract import ENTITIES, LOAD_ORDER
from leadscore.errors import LeadscoreError
from leadscore.warehouse import connect
from leadscore.warehouse import quote_literal as _q

DAY = 86_400
SITE = "https://www.example-saas.com"
# event keys are packed into one BIGINT id: ((contact * 4 + stream) * A + a) * B + b; these bounds
# keep it unique and below 2**63
EVENT_A_SPAN = 1_000_000
EVENT_B_SPAN = 10_000
MAX_CONTACTS = 100_000_000
MAX_DAYS = 36_500
# contact columns every event row carries, so the month's events need no join back to contacts
CARRY = "contact_id, email, emailable, anon_id"

# file format -> (extension, COPY options)
FORMATS = {
    "csv": ("csv", "FORMAT csv, HEADER true"),
    "parquet": ("parquet", "FORMAT parquet"),
    "jsonl": ("jsonl", "FORMAT json"),
}

# --- vocabulary (the dbt seeds are written against these values) -----------------------------

INDUSTRIES = {
    "Technology": 16, "Software": 14, "E-commerce": 9, "Retail": 8, "Finance": 9, "Healthcare": 7,
    "Manufacturing": 9, "Education": 5, "Consulting": 8, "Logistics": 6, "Media": 5, "Informatique": 4,
}
FIT_INDUSTRIES = ("Technology", "Software", "E-commerce", "Informatique")


@dataclass(frozen=True)
class Country:
    weight: float
    tld: str
    legal_forms: tuple[str, ...]
    spellings: dict[str, float]  # how contacts type it in a form
    languages: dict[str, float]
    places: tuple[str, ...]  # "City|State"
    phone_prefix: str
    target: bool


COUNTRIES: dict[str, Country] = {
    "France": Country(34, ".fr", ("SAS", "SAS", "SA", "SARL"),
                      {"France": 60, "FR": 15, "fr": 10, "france": 5, "FRANCE": 2},
                      {"fr": 95, "en": 5},
                      ("Paris|Île-de-France", "Lyon|Auvergne-Rhône-Alpes", "Marseille|Provence-Alpes-Côte d'Azur",
                       "Toulouse|Occitanie", "Nantes|Pays de la Loire", "Lille|Hauts-de-France",
                       "Bordeaux|Nouvelle-Aquitaine"), "+33", True),
    "United States": Country(14, ".com", ("Inc.", "LLC", "Corp."),
                             {"United States": 45, "USA": 30, "US": 25}, {"en": 95, "es": 5},
                             ("New York|NY", "San Francisco|CA", "Boston|MA", "Austin|TX", "Chicago|IL"),
                             "+1", True),
    "United Kingdom": Country(8, ".co.uk", ("Ltd", "Ltd", "PLC"), {"United Kingdom": 45, "UK": 35, "GB": 20},
                              {"en": 100}, ("London|England", "Manchester|England", "Edinburgh|Scotland"),
                              "+44", True),
    "Germany": Country(7, ".de", ("GmbH", "GmbH", "AG"), {"Germany": 60, "Deutschland": 30, "DE": 10},
                       {"de": 85, "en": 15}, ("Berlin|Berlin", "Munich|Bavaria", "Hamburg|Hamburg"), "+49",
                       False),
    "Belgium": Country(6, ".be", ("SA", "SRL", "NV"), {"Belgium": 50, "Belgique": 35, "BE": 15},
                       {"fr": 65, "en": 35}, ("Bruxelles|Bruxelles-Capitale", "Brussels|Brussels", "Liège|Wallonie",
                                              "Antwerp|Flanders"), "+32", True),
    "Canada": Country(6, ".ca", ("Inc.", "Ltée"), {"Canada": 85, "CA": 15}, {"en": 65, "fr": 35},
                      ("Montréal|Québec", "Québec|Québec", "Toronto|Ontario", "Vancouver|British Columbia"), "+1",
                      True),
    "Switzerland": Country(5, ".ch", ("AG", "SA", "GmbH"), {"Switzerland": 45, "Suisse": 40, "CH": 15},
                           {"fr": 50, "de": 40, "en": 10}, ("Genève|Genève", "Zurich|Zürich", "Lausanne|Vaud"),
                           "+41", True),
    "Spain": Country(6, ".es", ("S.L.", "S.A."), {"Spain": 60, "España": 40}, {"es": 85, "en": 15},
                     ("Madrid|Madrid", "Barcelona|Catalonia", "Valencia|Valencia"), "+34", False),
    "India": Country(7, ".in", ("Pvt Ltd",), {"India": 100}, {"en": 100},
                     ("Bangalore|Karnataka", "Mumbai|Maharashtra", "Pune|Maharashtra"), "+91", False),
    "Brazil": Country(7, ".com.br", ("Ltda",), {"Brazil": 100}, {"en": 80, "es": 20},
                      ("São Paulo|SP", "Rio de Janeiro|RJ"), "+55", False),
}

NAME_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Nakatomi", "Aperture", "Wonka",
    "Blue", "Green", "Silver", "Golden", "Nova", "Astra", "Alpha", "Delta", "Orion", "Atlas", "Zenith",
    "Vertex", "Pioneer", "Summit", "Horizon", "Quantum", "Fusion", "Nimbus", "Lumen", "Helix", "Crystal",
    "Nordic", "Alpine", "Bretagne", "Provence", "Loire", "Atlantique", "Boreal", "Cobalt", "Ember",
    "Falcon", "Granite", "Harbor", "Iris", "Jade", "Kepler", "Lotus", "Maple", "Onyx", "Polaris", "Rivage",
    "Sirius", "Tempo", "Ulysse", "Velvet", "Willow", "Yonder", "Azur", "Bastion", "Cedar",
)
NAME_NOUNS = (
    "Analytics", "Systems", "Solutions", "Labs", "Digital", "Logistics", "Retail", "Finance", "Health",
    "Media", "Consulting", "Software", "Data", "Networks", "Industries", "Partners", "Group", "Technologies",
    "Commerce", "Services", "Conseil", "Informatique", "Distribution", "Energy", "Robotics", "Cloud",
    "Security", "Ventures", "Studio", "Works",
)
NAME_QUALIFIERS = (
    "Paris", "Lyon", "Montreal", "Boston", "London", "Berlin", "Madrid", "Geneva", "Brussels", "Toronto",
    "Nantes", "Lille", "Bordeaux", "Austin", "Denver", "Dublin", "Munich", "Porto", "Milan", "Mumbai",
    "International", "Europe", "France", "North", "South", "East", "West", "Holding", "Pro", "Plus",
)

FREE_MAIL = ("gmail.com", "yahoo.fr", "hotmail.com", "outlook.com", "orange.fr", "free.fr", "gmx.de", "icloud.com")
DISPOSABLE_MAIL = ("mailinator.com", "yopmail.com", "10minutemail.com", "guerrillamail.com")

FIRST_NAMES = {
    ("fr", False): ("Jean", "Pierre", "Nicolas", "Thomas", "Julien", "François", "Antoine", "Mathieu", "Laurent",
                    "Sébastien", "Olivier", "Guillaume", "Hugo", "Lucas", "Théo", "Jean-Pierre"),
    ("fr", True): ("Marie", "Sophie", "Camille", "Julie", "Nathalie", "Isabelle", "Céline", "Chloé", "Léa",
                   "Manon", "Aurélie", "Émilie", "Claire", "Hélène", "Inès", "Marie-Claire"),
    ("en", False): ("James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
                    "Daniel", "Matthew", "Andrew", "Mark", "Paul", "Steven", "Kevin"),
    ("en", True): ("Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
                   "Karen", "Emily", "Emma", "Olivia", "Sophia", "Laura", "Rachel"),
}
LAST_NAMES = {
    "fr": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
           "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Legrand", "Faure"),
    "en": ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
           "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King",
           "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "O'Connor", "Mitchell"),
}

# job level -> (share, English titles, French titles); the level itself is hidden, only titles land
JOB_LEVELS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "c_level": (6, ("Chief Executive Officer", "CEO", "CTO", "Chief Marketing Officer", "COO", "Founder & CEO"),
                ("PDG", "Président", "Directeur général", "Directrice générale", "Fondateur")),
    "vp": (5, ("VP Sales", "Vice President Marketing", "VP Engineering", "VP of Operations"),
           ("Vice-président commercial", "VP Marketing")),
    "director": (10, ("Director of IT", "Head of Marketing", "Marketing Director", "Sales Director", "Head of Data"),
                 ("Directeur commercial", "Directrice marketing", "Directeur des systèmes d'information", "DSI",
                  "Directeur technique")),
    "manager": (22, ("Marketing Manager", "IT Manager", "Sales Manager", "Product Manager", "Operations Manager"),
                ("Responsable achats", "Responsable marketing", "Chef de projet", "Responsable informatique",
                 "Chef des ventes")),
    "staff": (31, ("Data Analyst", "Marketing Coordinator", "Procurement Specialist", "Software Engineer",
                   "Business Analyst", "Sales Representative"),
              ("Chargé de marketing", "Chargée de marketing", "Analyste", "Ingénieur logiciel", "Acheteur",
               "Développeur")),
    "consultant": (6, ("Consultant", "Independent Consultant", "Senior Consultant"), ("Consultant", "Consultante")),
    "student": (7, ("Student", "Intern", "MBA Student"), ("Stagiaire", "Étudiant", "Étudiante", "Alternant")),
    "other": (8, ("Assistant", "Receptionist", "Freelancer"), ("Assistant commercial", "Secrétaire")),
    "unknown": (5, (), ()),
}
LEVEL_FIT = {"c_level": 1.0, "vp": 1.0, "director": 1.0, "manager": 0.5, "staff": 0.2, "consultant": -0.4,
             "student": -1.2, "other": 0.0, "unknown": 0.0}
SENIOR = ("c_level", "vp", "director")

LEAD_SOURCES = {"organic": 28, "paid_search": 18, "webinar": 12, "referral": 10, "event": 10, "linkedin": 15,
                "partner": 7}
ACCOUNT_TYPES = {"prospect": 88, "customer": 5, "partner": 3, "competitor": 2, "investor": 2}
# size band -> (share, low, high employees); drawn log-uniformly inside the band
SIZE_BANDS = {"micro": (36, 1, 50), "mid": (34, 50, 500), "large": (20, 500, 5000), "huge": (6, 5000, 50000),
              "none": (4, 0, 0)}

BLOG_SLUGS = ("lead-scoring-101", "marketing-automation-tips", "data-quality-checklist", "b2b-funnel-metrics",
              "email-deliverability", "gdpr-consent-guide", "scoring-decay-explained", "abm-playbook")
PRODUCT_PAGES = ("analytics", "automation", "integrations")
DOC_PAGES = ("getting-started", "api", "integrations/salesforce", "scoring-rules", "sso")
JOB_SLUGS = ("data-engineer", "account-executive", "product-designer", "customer-success-manager",
             "stage-marketing")
CASE_SLUGS = ("retail-leader", "fintech-scaleup", "logistics-group", "ecommerce-brand")
PASSIVE_ASSETS = ("white-paper-data-quality.pdf", "ebook-lead-scoring.pdf", "white-paper-gdpr.pdf",
                  "checklist-email-deliverability.pdf")
ACTIVE_ASSETS = ("case-study-retail.pdf", "case-study-fintech.pdf", "rfp-template.docx", "pricing-sheet.pdf",
                 "roi-calculator.xlsx")
WEBINARS = ("lead-scoring-live", "abm-masterclass", "data-quality-clinic")
UTM_SOURCES = ("linkedin", "google", "newsletter", "twitter", "partner", "direct")
DEVICES = ("desktop", "mobile", "tablet")

# what a contact does on the website: kind -> share, per behaviour
PASSIVE_MIX = {"blog": 38, "home": 12, "product": 12, "docs": 12, "careers": 2, "case_page": 2, "pricing": 2,
               "paper": 9, "webinar_reg": 4, "webinar_att": 2, "newsletter_form": 5}
JOB_SEEKER_MIX = {"careers": 55, "blog": 15, "home": 15, "product": 5, "docs": 5, "paper": 5}
ACTIVE_MIX = {"pricing": 30, "product": 13, "case_page": 6, "case_download": 9, "rfp": 3, "demo": 5,
              "webinar_reg": 6, "webinar_att": 5, "sales_form": 5, "trial": 4, "meeting": 4, "docs": 8}

STATUS_REASONS = {
    "new": ("Created from website form", "Imported from trade show list", "Created by sales"),
    "mql": ("Score reached threshold", "Requested a demo"),
    "sal": ("Accepted by sales",),
    "sql": ("Qualified on discovery call", "Budget confirmed"),
    "opportunity": ("Opportunity created",),
    "won": ("Deal won",),
    "recycled": ("No response after 3 attempts", "Not ready to buy", "Lost to competitor"),
    "disqualified": ("Student", "Competitor", "Wrong persona", "No budget"),
}
ADJUSTMENTS = {(25, "Met at trade show"): 45, (10, "Existing customer contact"): 25,
               (15, "Referred by partner"): 10, (-20, "Wrong persona"): 20}


# --- SQL fragment helpers ----------------------------------------------------------------------


def _q_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _pick(values: Sequence[str], r: str) -> str:
    """One of ``values`` (SQL literals or expressions) chosen uniformly by ``r`` in [0, 1)."""
    return f"[{', '.join(values)}][1 + floor(({r}) * {len(values)})::INTEGER]"


def _pick_text(values: Sequence[str], r: str) -> str:
    return _pick([_q(v) for v in values], r)


def _weighted(r: str, choices: dict[str, float]) -> str:
    """A CASE over cumulative shares: keys are SQL expressions, values their relative weights."""
    total = sum(choices.values())
    cumulative = 0.0
    whens = []
    items = list(choices.items())
    if len(items) == 1:
        return items[0][0]
    for sql, weight in items[:-1]:
        cumulative += weight / total
        whens.append(f"WHEN {r} < {cumulative:.6f} THEN {sql}")
    return f"(CASE {' '.join(whens)} ELSE {items[-1][0]} END)"


def _weighted_text(r: str, choices: dict[str | None, float]) -> str:
    return _weighted(r, {_q(k): w for k, w in choices.items()})


def _by_country(column: str, branch: Callable[[Country], str], default: str = "NULL") -> str:
    whens = " ".join(f"WHEN {_q(name)} THEN {branch(c)}" for name, c in COUNTRIES.items())
    return f"(CASE {column} {whens} ELSE {default} END)"


def _slug(expr: str) -> str:
    return f"regexp_replace(lower(strip_accents({expr})), '[^a-z0-9]+', '-', 'g')"


# --- the plan: validated arguments --------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    out_dir: Path
    contacts: int
    days: int
    seed: int
    start: date
    end: date
    file_format: str

    @property
    def accounts(self) -> int:
        return max(1, (self.contacts + 3) // 4)

    @property
    def period(self) -> int:
        """Length of the event period in seconds (it ends at the end of ``end``)."""
        return self.days * DAY

    @property
    def t0(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day)

    @property
    def extension(self) -> str:
        return FORMATS[self.file_format][0]

    def seconds(self, moment: datetime) -> int:
        return int((moment - self.t0).total_seconds())

    def ts(self, sec: str, r: str) -> str:
        """A timestamp column: typed in Parquet, ISO-8601 text with a mix of offsets elsewhere."""
        return f"at_sec({sec})" if self.file_format == "parquet" else f"ts_text({sec}, {r})"


def _parse_end_date(end_date: str | None) -> date:
    if end_date is None:
        return datetime.now(timezone.utc).date()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", end_date):
            raise ValueError
        return date.fromisoformat(end_date)
    except (TypeError, ValueError):
        raise LeadscoreError(f"end date must be a calendar date as YYYY-MM-DD, got {end_date!r}.") from None


def _plan(out_dir: Path, contacts: int, days: int, seed: int, end_date: str | None, file_format: str) -> _Plan:
    if not 1 <= contacts <= MAX_CONTACTS:
        raise LeadscoreError(f"the number of contacts must be between 1 and {MAX_CONTACTS:,}, got {contacts}.")
    if not 1 <= days <= MAX_DAYS:
        raise LeadscoreError(f"the number of days must be between 1 and {MAX_DAYS:,}, got {days}.")
    if file_format not in FORMATS:
        raise LeadscoreError(f"file format must be one of {', '.join(FORMATS)}, got {file_format!r}.")
    end = _parse_end_date(end_date)
    try:
        start = end - timedelta(days=days - 1)
    except OverflowError:
        raise LeadscoreError(f"{days} days before {end} is before year 1; use fewer days.") from None
    return _Plan(Path(out_dir), contacts, days, seed, start, end, file_format)


# --- connection ---------------------------------------------------------------------------------


def _connect(plan: _Plan, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    con = connect(
        config={"threads": 2, "memory_limit": "3GB", "temp_directory": str(temp_dir),
                "preserve_insertion_order": True},
    )
    con.execute("SET enable_progress_bar = false")
    # DuckDB's multi-argument hash combines its inputs almost linearly, so draws with different
    # salts would be correlated; hashing the combined hash once more decorrelates them.
    unit = "(hash(hash({args})) >> 11)::DOUBLE / 9007199254740992.0"
    con.execute(f"CREATE MACRO u(a, b, s) AS {unit.format(args=f'{plan.seed}::BIGINT, a, b, s')}")
    con.execute(f"CREATE MACRO u4(a, b, c, d, s) AS {unit.format(args=f'{plan.seed}::BIGINT, a, b, c, d, s')}")
    con.execute(f"CREATE MACRO at_sec(sec) AS TIMESTAMP '{plan.t0:%Y-%m-%d %H:%M:%S}' + to_seconds((sec)::BIGINT)")
    con.execute("CREATE MACRO iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S')")
    con.execute(
        """CREATE MACRO ts_text(sec, r) AS CASE
            WHEN sec IS NULL THEN NULL
            WHEN r < 0.05 THEN iso(at_sec(sec)) || 'Z'
            WHEN r < 0.15 THEN iso(at_sec(sec + 7200)) || '+02:00'
            WHEN r < 0.20 THEN iso(at_sec(sec + 3600)) || '+01:00'
            WHEN r < 0.25 THEN iso(at_sec(sec - 18000)) || '-05:00'
            ELSE iso(at_sec(sec)) END"""
    )
    return con


# --- accounts -----------------------------------------------------------------------------------


def _account_name_sql() -> str:
    """Unique names: word + noun, then a qualifier and a number for the repeats of a pair."""
    nq = len(NAME_QUALIFIERS)
    return f"""{_pick_text(NAME_WORDS, 'w1')} || ' ' || {_pick_text(NAME_NOUNS, 'w2')}
        || CASE WHEN d < 0 THEN ''
                ELSE ' ' || {_q_list(NAME_QUALIFIERS)}[1 + d % {nq}]
                     || CASE WHEN d // {nq} > 0 THEN ' ' || (d // {nq} + 1)::VARCHAR ELSE '' END END"""


def _employees_sql(band: str, r: str) -> str:
    whens = " ".join(
        f"WHEN {_q(name)} THEN floor(exp(ln({lo}) + {r} * (ln({hi}) - ln({lo}))))::BIGINT"
        for name, (_, lo, hi) in SIZE_BANDS.items() if hi
    )
    return f"(CASE {band} {whens} END)"


def _create_accounts(con: duckdb.DuckDBPyConnection, plan: _Plan) -> None:
    countries = {_q(name): c.weight for name, c in COUNTRIES.items()}
    fit_industries = ", ".join(_q(i) for i in FIT_INDUSTRIES)
    con.execute(f"""
    CREATE TABLE acct AS
    WITH draws AS (
        SELECT acc,
            u(acc, 1, 'w1') AS w1, u(acc, 1, 'w2') AS w2,
            {_weighted("u(acc, 1, 'country')", countries)} AS country,
            {_weighted_text("u(acc, 1, 'industry')", INDUSTRIES)} AS industry,
            {_weighted_text("u(acc, 1, 'band')", {k: v[0] for k, v in SIZE_BANDS.items()})} AS band
        FROM range(1, {plan.accounts} + 1) t(acc)
    ), named AS (
        SELECT *, row_number() OVER (PARTITION BY floor(w1 * {len(NAME_WORDS)}), floor(w2 * {len(NAME_NOUNS)})
                                     ORDER BY acc) - 2 AS d
        FROM draws
    ), shaped AS (
        SELECT acc, country, industry,
            {_account_name_sql()} AS base_name,
            {_employees_sql('band', "u(acc, 1, 'employees')")} AS employee_count,
            {_by_country('country', lambda c: _pick_text(c.legal_forms, "u(acc, 1, 'legal')"))} AS legal_form,
            {_by_country('country', lambda c: _q(c.tld))} AS tld,
            -(30 + 1500 * u(acc, 1, 'created'))::BIGINT * {DAY} AS created_sec
        FROM named
    )
    SELECT acc, printf('A%06d', acc) AS account_id,
        base_name,
        CASE WHEN u(acc, 1, 'no_legal') < 0.1 THEN base_name ELSE base_name || ' ' || legal_form END AS name,
        {_slug('base_name')} || tld AS domain,
        industry, employee_count,
        CASE WHEN employee_count IS NULL OR u(acc, 1, 'revenue_null') < 0.1 THEN NULL
             ELSE round(employee_count * (60000 + 190000 * u(acc, 1, 'revenue')), -3) END AS annual_revenue,
        country,
        u(acc, 1, 'target') < 0.05 + 0.09 * (industry IN ({fit_industries}))::INTEGER
                                   + 0.05 * coalesce(employee_count BETWEEN 50 AND 500, false)::INTEGER
            AS is_target_account,
        {_weighted_text("u(acc, 1, 'type')", ACCOUNT_TYPES)} AS account_type,
        created_sec,
        created_sec + floor(u(acc, 1, 'updated') * ({plan.period} - created_sec))::BIGINT AS updated_sec,
        CASE WHEN employee_count IS NULL THEN NULL WHEN employee_count < 50 THEN 'smb'
             WHEN employee_count < 1000 THEN 'mid_market' ELSE 'enterprise' END AS segment
    FROM shaped
    """)


def _accounts_query(plan: _Plan) -> str:
    r = "u(acc, 2, 'ts')"
    return f"""
    SELECT account_id, name, domain, industry, employee_count, annual_revenue, country, is_target_account,
        account_type, {plan.ts('created_sec', r)} AS created_at, {plan.ts('updated_sec', r)} AS updated_at,
        segment
    FROM acct ORDER BY acc"""


# --- people: every contact with its hidden propensity -------------------------------------------


def _people_base_sql(plan: _Plan) -> str:
    levels = {_q(k): v[0] for k, v in JOB_LEVELS.items()}
    countries = {_q(name): c.weight for name, c in COUNTRIES.items()}
    return f"""
    SELECT cnum, printf('C%07d', cnum) AS contact_id,
        u(cnum, 1, 'has_account') < 0.9 AS has_account,
        CASE WHEN has_account THEN 1 + floor({plan.accounts} * pow(u(cnum, 1, 'account'), 1.4))::BIGINT END AS acc,
        u(cnum, 1, 'female') < 0.47 AS female,
        {_weighted("u(cnum, 1, 'level')", levels)} AS level,
        (CASE WHEN u(cnum, 1, 'pre') < 0.35 THEN -{DAY} * (1 + 600 * u(cnum, 1, 'age'))
              ELSE {plan.period} * 0.97 * u(cnum, 1, 'age') END)::BIGINT AS created_sec,
        {_weighted("u(cnum, 1, 'own_country')", countries)} AS own_country
    FROM range(1, {plan.contacts} + 1) t(cnum)"""


def _placed_sql() -> str:
    with_account = {"business": 76, "free": 18.3, "disposable": 1.5, "invalid": 1.0, "missing": 3.2}
    without_account = {"free": 85, "disposable": 8, "invalid": 3, "missing": 4}
    languages = _by_country(
        "country_canon", lambda c: _weighted_text("u(cnum, 1, 'lang')", c.languages), _q("en")
    )
    return f"""
    SELECT b.*, a.account_id AS acc_id, a.base_name, a.name AS acc_name, a.domain AS acc_domain,
        a.industry AS acc_industry, a.employee_count AS acc_employees, a.annual_revenue AS acc_revenue,
        coalesce(a.is_target_account, false) AS target,
        coalesce(a.country, b.own_country) AS country_canon,
        CASE WHEN b.has_account THEN {_weighted_text("u(cnum, 1, 'email_kind')", with_account)}
             ELSE {_weighted_text("u(cnum, 1, 'email_kind')", without_account)} END AS email_kind,
        {languages} AS lang
    FROM base b LEFT JOIN acct a ON a.acc = b.acc"""


def _fit_sql() -> str:
    level_fit = " ".join(f"WHEN {_q(k)} THEN {v}" for k, v in LEVEL_FIT.items())
    targets = ", ".join(_q(n) for n, c in COUNTRIES.items() if c.target)
    fit_industries = ", ".join(_q(i) for i in FIT_INDUSTRIES)
    senior = ", ".join(_q(s) for s in SENIOR)
    r = "u(cnum, 1, 'authority')"
    authority = f"""CASE WHEN level IN ({senior})
            THEN {_weighted_text(r, {'decision maker': 65, 'influencer': 20, None: 15})}
        WHEN level = 'manager' THEN {_weighted_text(r, {'decision maker': 25, 'influencer': 45, 'user': 10, None: 20})}
        WHEN level = 'staff' THEN {_weighted_text(r, {'influencer': 20, 'user': 50, None: 30})}
        ELSE {_weighted_text(r, {'user': 30, None: 70})} END"""
    return f"""
    SELECT *,
        {authority} AS purchase_authority,
        (CASE level {level_fit} END)
        + 0.6 * coalesce(acc_employees BETWEEN 50 AND 500, false)::INTEGER
        + 0.5 * coalesce(acc_industry IN ({fit_industries}), false)::INTEGER
        + CASE WHEN country_canon IN ({targets}) THEN 0.3 ELSE -0.5 END
        + CASE email_kind WHEN 'business' THEN 0.4 WHEN 'free' THEN -0.4 WHEN 'disposable' THEN -1.0
                          WHEN 'invalid' THEN -0.6 ELSE -0.3 END
        + CASE purchase_authority WHEN 'decision maker' THEN 0.5 WHEN 'influencer' THEN 0.2 ELSE 0 END
        + 0.4 * target::INTEGER
        + 0.6 * (u(cnum, 1, 'fit_noise') - 0.5) AS fit,
        (level = 'student' AND u(cnum, 1, 'seeker') < 0.45) OR u(cnum, 1, 'seeker') < 0.015 AS job_seeker,
        CASE WHEN job_seeker THEN 0.03 * u(cnum, 1, 'intent')
             ELSE greatest(0, least(1, pow(u(cnum, 1, 'intent'), 3) + 0.04 * fit)) END AS intent,
        1 / (1 + exp(-(-7.3 + 1.0 * fit + 7.0 * intent))) AS propensity,
        greatest(0, created_sec) AS ws
    FROM placed"""


def _behaviour_sql(plan: _Plan) -> str:
    timeline_hot = {"under 3 months": 50, "3-8 months": 25, "over 8 months": 5, None: 20}
    timeline_cold = {"under 3 months": 8, "3-8 months": 20, "over 8 months": 27, None: 45}
    p = plan.period
    return f"""
    SELECT *,
        has_account AND level <> 'student' AND NOT job_seeker AND {p} - ws > {DAY}
            AND u(cnum, 1, 'converts') < propensity AS converts,
        (ws + (0.15 + 0.8 * u(cnum, 1, 'buy')) * ({p} - ws))::BIGINT AS buy_sec,
        buy_sec + floor(u(cnum, 1, 'opp') * least({5 * DAY}, 0.9 * ({p} - buy_sec)))::BIGINT AS opp_sec,
        CASE WHEN intent > 0.45 THEN {_weighted_text("u(cnum, 1, 'timeline')", timeline_hot)}
             ELSE {_weighted_text("u(cnum, 1, 'timeline')", timeline_cold)} END AS purchase_timeline,
        {_weighted("u(cnum, 1, 'competitor')", {'true': 20, 'false': 60, 'NULL': 20})} AS uses_competitor,
        {_weighted("u(cnum, 1, 'consent')", {'true': 88, 'false': 5, 'NULL': 7})} AS has_marketing_consent,
        u(cnum, 1, 'dnc') < 0.02 AS is_do_not_contact,
        CASE WHEN u(cnum, 1, 'dormant') < 0.12 THEN 0
             ELSE 0.17 * least(5, -ln(1 - u(cnum, 1, 'activity'))) * (0.5 + intent) END AS rp,
        1.4 * intent * intent AS ra,
        email_kind IN ('business', 'free', 'disposable') AS emailable,
        emailable AND has_marketing_consent IS DISTINCT FROM false AND NOT is_do_not_contact AS mailable,
        email_kind = 'business' AND u(cnum, 1, 'scanner') < 0.015 AS scanner,
        u(cnum, 1, 'burst') < 0.004 AS burst,
        'anon-' || lower(hex(hash({plan.seed}::BIGINT, cnum, 'anon'))) AS anon_id
    FROM fitted"""


def _names_sql() -> str:
    def first(lang: str) -> str:
        r = "u(cnum, 1, 'first')"
        return (f"CASE WHEN female THEN {_pick_text(FIRST_NAMES[(lang, True)], r)}"
                f" ELSE {_pick_text(FIRST_NAMES[(lang, False)], r)} END")

    # a birth year on free mail; never after a dot, so it cannot clash with the '.<contact>' suffix
    # that makes repeated emails unique
    free_local = ("fn || '.' || ln || CASE WHEN u(cnum, 1, 'year') < 0.3 "
                  "THEN (60 + floor(40 * u(cnum, 1, 'yy')))::INTEGER::VARCHAR ELSE '' END")
    return f"""
    SELECT *,
        CASE WHEN lang = 'fr' THEN {first('fr')} ELSE {first('en')} END AS first_clean,
        CASE WHEN lang = 'fr' THEN {_pick_text(LAST_NAMES['fr'], "u(cnum, 1, 'last')")}
             ELSE {_pick_text(LAST_NAMES['en'], "u(cnum, 1, 'last')")} END AS last_name,
        regexp_replace(lower(strip_accents(first_clean)), '[^a-z-]', '', 'g') AS fn,
        regexp_replace(lower(strip_accents(last_name)), '[^a-z-]', '', 'g') AS ln,
        CASE WHEN email_kind = 'free' THEN {free_local}
             ELSE {_weighted("u(cnum, 1, 'pattern')", {
                 "fn || '.' || ln": 70, "fn[1] || '.' || ln": 10, "fn || ln": 10, "fn || '_' || ln": 10})}
             END AS local_part,
        CASE email_kind WHEN 'business' THEN acc_domain
             WHEN 'free' THEN {_pick_text(FREE_MAIL, "u(cnum, 1, 'free')")}
             WHEN 'disposable' THEN {_pick_text(DISPOSABLE_MAIL, "u(cnum, 1, 'free')")} END AS email_domain
    FROM behaving"""


def _email_sql(local: str) -> str:
    """The email a contact typed, built from a local part; invalid ones are typical form typos."""
    invalid = _pick([f"{local} || '@'", f"{local} || '@gmail'", f"{local} || ' at gmail.com'", local],
                    "u(cnum, 1, 'invalid')")
    return f"""CASE WHEN email_kind IN ('business', 'free', 'disposable') THEN {local} || '@' || email_domain
                    WHEN email_kind = 'invalid' THEN {invalid} END"""


def _titles_sql(level: str, lang: str, r: str) -> str:
    def titles(index: int) -> str:
        whens = " ".join(
            f"WHEN {_q(name)} THEN {_pick_text(spec[index], r)}" for name, spec in JOB_LEVELS.items() if spec[index]
        )
        return f"CASE {level} {whens} END"

    return f"CASE WHEN {lang} = 'fr' THEN {titles(2)} ELSE {titles(1)} END"


def _noisy_title_sql(title: str, r: str) -> str:
    return f"""CASE WHEN {r} < 0.07 THEN upper({title}) WHEN {r} < 0.12 THEN lower({title})
        WHEN {r} < 0.16 THEN '  ' || {title} || ' ' WHEN {r} < 0.18 THEN replace({title}, ' ', '  ')
        WHEN {r} < 0.22 AND level = 'staff' THEN 'Sr. ' || {title} ELSE {title} END"""


def _profile_sql(plan: _Plan) -> str:
    """The contact's visible fields: copies of the account with noise, free-text title, messy country."""
    spelled = _by_country("country_canon", lambda c: _weighted_text("u(cnum, 1, 'spelling')", c.spellings))
    place = _by_country("country_canon", lambda c: _pick_text(c.places, "u(cnum, 1, 'place')"))
    prefix = _by_country("country_canon", lambda c: _q(c.phone_prefix))
    phone = f"""{prefix} || ' ' || (1 + floor(9 * u(cnum, 1, 'ph1')))::INTEGER::VARCHAR || ' '
        || printf('%04d', floor(10000 * u(cnum, 1, 'ph2'))::INTEGER) || ' '
        || printf('%04d', floor(10000 * u(cnum, 1, 'ph3'))::INTEGER)"""
    company = _weighted("u(cnum, 1, 'company')", {"acc_name": 50, "upper(acc_name)": 8, "lower(acc_name)": 8,
                                                  "base_name": 22, "NULL": 12})
    resolvable_company = _weighted("u(cnum, 1, 'company')", {"acc_name": 70, "upper(acc_name)": 15,
                                                             "lower(acc_name)": 15})
    industries = _pick_text(list(INDUSTRIES), "u(cnum, 1, 'own_industry')")
    noise = "u(cnum, 1, 'noise_industry')"
    languages = _weighted("u(cnum, 1, 'lang_null')", {"lang": 97, "NULL": 3})
    return f"""
    SELECT *,
        CASE WHEN has_account AND u(cnum, 1, 'show_account') < 0.7 THEN acc_id END AS account_id,
        CASE WHEN NOT has_account THEN CASE WHEN u(cnum, 1, 'company') < 0.15 THEN 'Freelance' END
             WHEN account_id IS NULL AND email_kind <> 'business' THEN {resolvable_company}
             ELSE {company} END AS company_name,
        CASE WHEN u(cnum, 1, 'digits') < 0.01 THEN first_clean || (1 + floor(998 * u(cnum, 1, 'nd')))::BIGINT::VARCHAR
             ELSE first_clean END AS first_name,
        CASE WHEN level = 'unknown' THEN NULL
             ELSE {_noisy_title_sql(_titles_sql('level', 'lang', "u(cnum, 1, 'title')"), "u(cnum, 1, 'tnoise')")}
             END AS job_title,
        {_titles_sql("'staff'", 'lang', "u(cnum, 1, 'old_title')")} AS old_job_title,
        CASE WHEN NOT has_account THEN CASE WHEN u(cnum, 1, 'own_industry') < 0.4 THEN {industries} END
             WHEN {noise} < 0.70 THEN acc_industry WHEN {noise} < 0.78 THEN lower(acc_industry)
             WHEN {noise} < 0.93 THEN NULL ELSE {industries} END AS industry,
        CASE WHEN NOT has_account THEN CASE WHEN u(cnum, 1, 'size') < 0.3 THEN 1 END
             WHEN u(cnum, 1, 'size') < 0.70 THEN acc_employees
             WHEN u(cnum, 1, 'size') < 0.82 THEN NULL
             -- people round their company's headcount to one significant digit
             ELSE round(acc_employees::DOUBLE, (1 - length(acc_employees::VARCHAR))::INTEGER)::BIGINT
             END AS employee_count,
        CASE WHEN has_account AND u(cnum, 1, 'revenue') < 0.45 THEN acc_revenue END AS annual_revenue,
        CASE WHEN u(cnum, 1, 'country_null') < 0.08 THEN NULL ELSE {spelled} END AS country,
        CASE WHEN u(cnum, 1, 'has_place') < 0.4 THEN split_part({place}, '|', 2) END AS state,
        CASE WHEN u(cnum, 1, 'has_place') < 0.6 THEN split_part({place}, '|', 1) END AS city,
        CASE WHEN u(cnum, 1, 'has_phone') < 0.5 THEN {phone} END AS phone,
        {_weighted_text("u(cnum, 1, 'source')", LEAD_SOURCES)} AS lead_source,
        {languages} AS preferred_language,
        {_email_sql('local_part')} AS email0,
        created_sec + floor(u(cnum, 1, 'updated') * ({plan.period} - created_sec))::BIGINT AS updated_sec
    FROM named"""


def _create_people(con: duckdb.DuckDBPyConnection, plan: _Plan) -> None:
    # emails must be unique per contact: repeats of a name at one domain get the contact number
    con.execute(f"""
    CREATE TABLE people AS
    WITH base AS ({_people_base_sql(plan)}),
    placed AS ({_placed_sql()}),
    fitted AS ({_fit_sql()}),
    behaving AS ({_behaviour_sql(plan)}),
    named AS ({_names_sql()}),
    profiled AS ({_profile_sql(plan)}),
    ranked AS (
        SELECT *, row_number() OVER (PARTITION BY lower(email0) ORDER BY cnum) AS email_rank FROM profiled
    )
    SELECT * EXCLUDE (email0, email_rank),
        CASE WHEN email_rank > 1 AND email0 IS NOT NULL THEN {_email_sql("local_part || '.' || cnum")}
             ELSE email0 END AS email_typed,
        CASE WHEN u(cnum, 1, 'email_case') < 0.02 THEN upper(email_typed) ELSE email_typed END AS email,
        u(cnum, 1, 'older') < 0.005 AND updated_sec - created_sec > 120 AS has_older_version
    FROM ranked""")


def _contacts_query(plan: _Plan) -> str:
    r = "u(cnum, 2 + v, 'ts')"
    old = "v = 1"
    return f"""
    SELECT contact_id, {plan.ts('created_sec', r)} AS created_at,
        {plan.ts(f'CASE WHEN {old} THEN created_sec + (updated_sec - created_sec) // 2 ELSE updated_sec END', r)}
            AS updated_at,
        email, first_name, last_name,
        CASE WHEN {old} THEN old_job_title ELSE job_title END AS job_title,
        company_name, account_id, industry, employee_count, annual_revenue, country, state, city,
        CASE WHEN {old} THEN NULL ELSE phone END AS phone,
        lead_source, purchase_authority,
        CASE WHEN {old} THEN NULL ELSE purchase_timeline END AS purchase_timeline,
        uses_competitor, has_marketing_consent, is_do_not_contact, preferred_language
    FROM (SELECT *, unnest(range(CASE WHEN has_older_version THEN 2 ELSE 1 END)) AS v FROM people)
    -- the older version comes first or last, so a loader cannot rely on file order
    ORDER BY cnum, CASE WHEN u(cnum, 1, 'older_first') < 0.5 THEN -v ELSE v END"""


# --- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Month:
    index: int
    label: str  # 2024-06
    lo: int  # seconds from t0, inclusive
    hi: int  # exclusive


def _months(plan: _Plan) -> Iterator[_Month]:
    year, month, index = plan.start.year, plan.start.month, 0
    while (year, month) <= (plan.end.year, plan.end.month):
        nxt = (year + (month == 12), month % 12 + 1)
        lo = max(0, plan.seconds(datetime(year, month, 1)))
        hi = min(plan.period, plan.seconds(datetime(nxt[0], nxt[1], 1)))
        yield _Month(index, f"{year:04d}-{month:02d}", lo, hi)
        year, month, index = nxt[0], nxt[1], index + 1


def _create_campaigns(con: duckdb.DuckDBPyConnection, plan: _Plan) -> None:
    """Monthly newsletters, webinar invites and quarterly promos, from the month before the period."""
    rows: list[str] = []
    first = plan.start.replace(day=1) - timedelta(days=1)
    year, month = first.year, first.month
    while (year, month) <= (plan.end.year, plan.end.month):
        label = f"{year:04d}-{month:02d}"
        sends = [(f"newsletter-{label}", 5, 8, 0.85, f"/blog/{BLOG_SLUGS[month % len(BLOG_SLUGS)]}"),
                 (f"webinar-invite-{label}", 12, 14, 0.45, "/product/analytics")]
        if month % 3 == 2:
            sends.append((f"promo-q{(month - 1) // 3 + 1}-{year}", 20, 10, 0.40, "/pricing"))
        for name, day, hour, share, landing in sends:
            sec = plan.seconds(datetime(year, month, day, hour))
            rows.append(f"({len(rows) + 1}, {_q(name)}, {sec}, {share}, {_q(landing)})")
        year, month = year + (month == 12), month % 12 + 1
    con.execute(f"""CREATE TABLE campaigns AS SELECT * FROM (VALUES {', '.join(rows)})
                    AS t(cid, campaign, send_sec, share, landing)""")


def _web_kind_columns() -> dict[str, dict[str, str]]:
    """kind -> SQL for event_type, path, asset, campaign, properties (r2 and r3 are per-event draws)."""
    web = (f"CASE WHEN r3 < 0.45 THEN json_object('utm_source', {_pick_text(UTM_SOURCES, 'r2')},"
           f" 'device', {_pick_text(DEVICES, 'r3 * 2')})::VARCHAR END")
    webinar = {"campaign": "'webinar-' || strftime(at_sec(sec), '%Y-%m')",
               "properties": f"json_object('webinar', {_pick_text(WEBINARS, 'r2')})::VARCHAR"}

    def page(path: str) -> dict[str, str]:
        return {"event_type": "'page_view'", "path": path, "properties": web}

    return {
        "home": page("'/'"),
        "blog": page(f"'/blog/' || {_pick_text(BLOG_SLUGS, 'r2')}"),
        "product": page(f"'/product/' || {_pick_text(PRODUCT_PAGES, 'r2')}"),
        "docs": page(f"'/docs/' || {_pick_text(DOC_PAGES, 'r2')}"),
        "careers": page(f"'/careers/' || {_pick_text(JOB_SLUGS, 'r2')}"),
        "case_page": page(f"'/case-studies/' || {_pick_text(CASE_SLUGS, 'r2')}"),
        "pricing": page("'/pricing'"),
        "paper": {"event_type": "'content_download'", "asset": _pick_text(PASSIVE_ASSETS, "r2")},
        "case_download": {"event_type": "'content_download'", "asset": _pick_text(ACTIVE_ASSETS[:2], "r2")},
        "rfp": {"event_type": "'content_download'", "asset": _pick_text(ACTIVE_ASSETS[2:], "r2")},
        "webinar_reg": {"event_type": "'webinar_registered'", **webinar},
        "webinar_att": {"event_type": "'webinar_attended'", **webinar},
        "newsletter_form": {"event_type": "'form_submit'", "properties": "'{\"form\":\"newsletter\"}'"},
        "sales_form": {"event_type": "'form_submit'", "properties": "'{\"form\":\"contact-sales\"}'"},
        "demo": {"event_type": "'demo_requested'",
                 "properties": f"json_object('utm_source', {_pick_text(UTM_SOURCES, 'r2')})::VARCHAR"},
        "trial": {"event_type": "'trial_started'", "properties": "'{\"plan\":\"trial-14d\"}'"},
        "meeting": {"event_type": "'meeting_booked'", "properties": "'{\"meeting_type\":\"discovery\"}'"},
    }


def _web_column(column: str) -> str:
    whens = " ".join(f"WHEN {_q(kind)} THEN {cols[column]}"
                     for kind, cols in _web_kind_columns().items() if column in cols)
    return f"CASE kind {whens} END"


def _web_events_sql(plan: _Plan, m: _Month) -> str:
    """Website and content events: a passive stream over the contact's life, an active burst around
    the moment the contact is in market (the few weeks before an opportunity)."""
    key = f"cnum, stream, k, {m.index}"
    end = min(m.hi, plan.period)
    passive_n = (f"floor(rp * span / {DAY}.0 * (0.6 + 0.8 * u(cnum, {m.index}, 'pvar'))"
                 f" + u(cnum, {m.index}, 'pfrac'))::BIGINT")
    active_n = f"floor(ra * span / {DAY}.0 + u(cnum, {m.index}, 'afrac'))::BIGINT"
    kind = f"""CASE WHEN stream = 2 THEN {_weighted_text("r1", ACTIVE_MIX)}
                    WHEN job_seeker THEN {_weighted_text("r1", JOB_SEEKER_MIX)}
                    ELSE {_weighted_text("r1", PASSIVE_MIX)} END"""
    return f"""
    windows AS (
        SELECT cnum, 1 AS stream, job_seeker, {CARRY}, greatest({m.lo}, ws) AS lo,
               {end} - greatest({m.lo}, ws) AS span, {passive_n} AS n
        FROM people WHERE rp > 0 AND {end} > greatest({m.lo}, ws)
        UNION ALL
        SELECT cnum, 2, job_seeker, {CARRY}, greatest({m.lo}, ws, buy_sec - {21 * DAY}) AS lo,
               least({end}, buy_sec + {5 * DAY}) - greatest({m.lo}, ws, buy_sec - {21 * DAY}) AS span,
               {active_n} AS n
        FROM people WHERE ra > 0.001 AND least({end}, buy_sec + {5 * DAY}) > greatest({m.lo}, ws, buy_sec - {21 * DAY})
    ), web_slots AS (
        SELECT cnum, stream, job_seeker, {CARRY}, lo, span, unnest(range(n)) AS k FROM windows WHERE n > 0
    ), web_draws AS (
        SELECT cnum, stream, job_seeker, {CARRY}, k, lo + floor(u4({key}, 't') * span)::BIGINT AS sec,
               u4({key}, 'kind') AS r1, u4({key}, 'r2') AS r2, u4({key}, 'r3') AS r3
        FROM web_slots
    ), web_kinds AS (
        SELECT cnum, stream, k AS a, {m.index} AS b, sec, {CARRY}, {kind} AS kind, r2, r3
        FROM web_draws
    ), web_events AS (
        SELECT cnum, stream, a, b, sec, {CARRY}, {_web_column('event_type')} AS event_type,
               '{SITE}' || ({_web_column('path')}) AS url, {_web_column('asset')} AS asset,
               {_web_column('campaign')} AS campaign, {_web_column('properties')} AS properties, true AS is_web
        FROM web_kinds
    )"""


def _email_events_sql(m: _Month) -> str:
    """Campaign emails: delivered, then maybe opened and clicked; scanners click seconds after the
    delivery and a few contacts click three links within two seconds (bot patterns to filter)."""
    nurture_landing = _q_list(["/docs/getting-started", "/case-studies/retail-leader", "/pricing",
                               "/product/integrations"])
    key = "cnum, 3, cid"
    step_sec = f"""CASE step WHEN 0 THEN dsec WHEN 1 THEN osec WHEN 2 THEN csec WHEN 3 THEN csec
        WHEN 4 THEN csec + 1 WHEN 5 THEN dsec + 1 + floor(8 * u4({key}, 5, 'bot_delay'))::BIGINT
        WHEN 6 THEN osec + 20 + floor(600 * u4({key}, 6, 'unsub_delay'))::BIGINT
        ELSE dsec + 3600 + floor({DAY} * u4({key}, 7, 'spam_delay'))::BIGINT END"""
    step_type = """CASE step WHEN 0 THEN 'email_delivered' WHEN 1 THEN 'email_open' WHEN 6 THEN 'unsubscribed'
        WHEN 7 THEN 'spam_complaint' ELSE 'email_click' END"""
    step_path = f"""CASE step WHEN 2 THEN landing WHEN 3 THEN '/' WHEN 4 THEN '/blog/{BLOG_SLUGS[0]}'
        WHEN 5 THEN landing END"""
    happens = """CASE step WHEN 0 THEN true WHEN 1 THEN opened WHEN 2 THEN clicked WHEN 3 THEN clicked AND burst
        WHEN 4 THEN clicked AND burst WHEN 5 THEN bot WHEN 6 THEN unsubscribes ELSE complains END"""
    return f"""
    sends AS (
        SELECT p.cnum, c.cid, c.campaign, c.landing, p.intent, p.scanner, p.burst,
               p.contact_id, p.email, p.emailable, p.anon_id,
               c.send_sec + floor(5400 * u(p.cnum, c.cid, 'jitter'))::BIGINT AS dsec
        FROM people p JOIN campaigns c ON c.send_sec >= {m.lo - 8 * DAY} AND c.send_sec < {m.hi}
        WHERE p.mailable AND p.created_sec < c.send_sec AND u(p.cnum, c.cid, 'audience') < c.share
        UNION ALL
        SELECT cnum, 100000 + k, 'nurture-onboarding-' || k, {nurture_landing}[k], intent, scanner, burst, {CARRY},
               created_sec + ((7 * k - 5) * {DAY})::BIGINT
        FROM people, range(1, 5) t(k)
        WHERE mailable AND created_sec >= 0 AND u(cnum, k, 'nurture') < 0.75
          AND created_sec + (7 * k - 5) * {DAY} BETWEEN {m.lo - 8 * DAY} AND {m.hi}
    ), flagged AS (
        SELECT *,
            u4({key}, 1, 'open') < 0.12 + 0.45 * intent AS opened,
            opened AND u4({key}, 2, 'click') < 0.10 + 0.45 * intent AS clicked,
            (scanner AND u4({key}, 5, 'bot') < 0.25) OR u4({key}, 5, 'bot') < 0.0003 AS bot,
            opened AND u4({key}, 6, 'unsub') < 0.012 * (1 - intent) AS unsubscribes,
            u4({key}, 7, 'spam') < 0.0004 AS complains,
            dsec + 60 + floor(259200 * pow(u4({key}, 1, 'open_delay'), 3))::BIGINT AS osec,
            osec + 3 + floor(900 * u4({key}, 2, 'click_delay'))::BIGINT AS csec
        FROM sends
    ), email_events AS (
        SELECT cnum, 3 AS stream, cid AS a, step AS b, {step_sec} AS sec, {CARRY}, {step_type} AS event_type,
            CASE WHEN step IN (2, 3, 4, 5)
                 THEN '{SITE}' || ({step_path}) || '?utm_source=email&utm_campaign=' || campaign END AS url,
            NULL::VARCHAR AS asset, campaign, NULL::VARCHAR AS properties, false AS is_web
        FROM flagged, range(8) s(step)
        WHERE {happens}
    )"""


def _messy_type_sql(r: str) -> str:
    capitalised = "array_to_string(list_transform(string_split(event_type, '_'), lambda x: upper(x[1]) || x[2:]), '_')"
    return f"""CASE WHEN {r} < 0.004 THEN upper(event_type) WHEN {r} < 0.008 THEN ' ' || {capitalised} || ' '
        WHEN {r} < 0.010 THEN event_type || ' ' ELSE event_type END"""


def _identity_sql(plan: _Plan) -> tuple[str, str]:
    """contact_id and email of an event: mostly the contact id, ~10% the email only (contacts with a
    usable email); ~0.15% of website events come from people the warehouse never heard of (emails
    are only sent to known contacts, so their events always resolve)."""
    r = "u4(cnum, stream, a, b, 'who')"
    stranger = "u4(cnum, stream, a, b, 'stranger')"
    number = "(1 + floor(50000 * u4(cnum, stream, a, b, 'stranger_number')))::BIGINT"
    contact_id = f"""CASE WHEN is_web AND {stranger} < 0.0008 THEN printf('C%07d', {plan.contacts} + {number})
        WHEN is_web AND {stranger} < 0.0016 THEN NULL
        WHEN emailable AND {r} < 0.1 THEN NULL ELSE contact_id END"""
    email = f"""CASE WHEN is_web AND {stranger} < 0.0008 THEN NULL
        WHEN is_web AND {stranger} < 0.0016 THEN 'visitor' || {number}::VARCHAR || '@gmail.com'
        WHEN emailable AND {r} < 0.1
            THEN CASE WHEN u4(cnum, stream, a, b, 'email_case') < 0.1 THEN upper(email) ELSE email END END"""
    return contact_id, email


def _events_query(plan: _Plan, m: _Month) -> str:
    r_id = "u4(cnum, stream, a, b, 'no_id')"
    contact_id, email = _identity_sql(plan)
    # (cnum, stream, a, b) is unique per event, so packing it gives an id without numbering rows
    # (a window over all rows would cost a second sort of the month)
    packed = f"(((cnum * 4 + stream) * {EVENT_A_SPAN} + a) * {EVENT_B_SPAN} + b)"
    return f"""
    WITH {_web_events_sql(plan, m)}, {_email_events_sql(m)},
    expanded AS (
        SELECT *,
            -- exact duplicates: the same row sent twice by a tracking pipeline
            unnest(range(CASE WHEN {r_id} >= 0.05 AND u4(cnum, stream, a, b, 'dup') < 0.003 THEN 2 ELSE 1 END))
                AS copy
        FROM (SELECT * FROM web_events UNION ALL SELECT * FROM email_events)
        WHERE sec >= {m.lo} AND sec < {min(m.hi, plan.period)}
    )
    SELECT CASE WHEN {r_id} >= 0.05 THEN 'E' || {packed}::VARCHAR END AS event_id,
        {_messy_type_sql("u4(cnum, stream, a, b, 'type_case')")} AS event_type,
        {plan.ts('sec', "u4(cnum, stream, a, b, 'ts')")} AS occurred_at,
        {contact_id} AS contact_id, {email} AS email, url, asset, campaign, properties,
        CASE WHEN is_web AND url IS NOT NULL AND u4(cnum, stream, a, b, 'anon') < 0.4 THEN anon_id END
            AS anonymous_id
    FROM expanded ORDER BY sec, cnum, stream, a, b, copy"""


# --- opportunities, status changes, score adjustments -------------------------------------------


def _create_deals(con: duckdb.DuckDBPyConnection, plan: _Plan) -> None:
    p = plan.period
    con.execute(f"""
    CREATE TABLE deals AS
    SELECT cnum, contact_id, acc_id, opp_sec, propensity,
        printf('O%07d', row_number() OVER (ORDER BY cnum)) AS opportunity_id,
        opp_sec + ((14 + 76 * u(cnum, 3, 'duration')) * {DAY})::BIGINT AS close_sec,
        close_sec < {p} AS is_closed,
        is_closed AND u(cnum, 3, 'won') < 0.25 + 0.5 * propensity AS is_won,
        ({p} - opp_sec) / (close_sec - opp_sec) AS progress,
        round(least(300000, 4000 + 40 * coalesce(acc_employees, 30)) * (0.6 + 0.8 * u(cnum, 3, 'amount')), -2)
            AS amount
    FROM people WHERE converts""")


def _opportunities_query(plan: _Plan) -> str:
    r = "u(cnum, 3, 'ts')"
    return f"""
    SELECT opportunity_id, {plan.ts('opp_sec', r)} AS created_at, acc_id AS account_id, contact_id,
        CASE WHEN is_won THEN 'closed_won' WHEN is_closed THEN 'closed_lost' WHEN progress < 0.35 THEN 'discovery'
             WHEN progress < 0.7 THEN 'proposal' ELSE 'negotiation' END AS stage,
        is_closed, is_won, {plan.ts('CASE WHEN is_closed THEN close_sec END', r)} AS closed_at, amount
    FROM deals ORDER BY opportunity_id"""


def _status_changes_query(plan: _Plan) -> str:
    """A plausible funnel per progressed contact; every later status has a later changed_at."""
    gap = f"least({6 * DAY}, opp_sec - created_sec)"
    reasons = " ".join(f"WHEN {_q(s)} THEN {_pick_text(v, 'u4(cnum, 5, step, 0, ' + _q('reason') + ')')}"
                       for s, v in STATUS_REASONS.items())
    later = f"buy_sec + ((14 + 31 * u(cnum, 5, 'later')) * {DAY})::BIGINT"
    rows = [
        "SELECT cnum, 0 AS step, 'new' AS status, created_sec AS sec FROM prog WHERE path IS NOT NULL",
        f"SELECT cnum, 1, 'mql', opp_sec - floor({gap} * 0.7)::BIGINT FROM prog WHERE path = 'converted'",
        f"SELECT cnum, 2, 'sal', opp_sec - floor({gap} * 0.4)::BIGINT FROM prog WHERE path = 'converted'",
        f"SELECT cnum, 3, 'sql', opp_sec - floor({gap} * 0.15)::BIGINT FROM prog WHERE path = 'converted'",
        "SELECT cnum, 4, 'opportunity', opp_sec FROM prog WHERE path = 'converted'",
        "SELECT cnum, 5, 'won', close_sec FROM prog WHERE path = 'converted' AND is_won",
        f"SELECT cnum, 5, 'recycled', close_sec + {2 * DAY} FROM prog "
        "WHERE path = 'converted' AND is_closed AND NOT is_won",
        "SELECT cnum, 1, 'mql', buy_sec FROM prog WHERE path = 'mql'",
        f"""SELECT cnum, 2, CASE WHEN u(cnum, 5, 'outcome') < 0.7 THEN 'recycled' ELSE 'disqualified' END, {later}
            FROM prog WHERE path = 'mql' AND u(cnum, 5, 'closed') < 0.7""",
        f"SELECT cnum, 1, 'disqualified', created_sec + ((1 + 19 * u(cnum, 5, 'dq')) * {DAY})::BIGINT "
        "FROM prog WHERE path = 'dq'",
    ]
    return f"""
    WITH prog AS (
        SELECT p.cnum, p.contact_id, p.created_sec, p.buy_sec, p.opp_sec, d.close_sec, d.is_closed, d.is_won,
            CASE WHEN p.converts THEN 'converted'
                 WHEN u(p.cnum, 5, 'mql') < 0.6 * p.propensity + 0.01 THEN 'mql'
                 WHEN u(p.cnum, 5, 'dq') < 0.015 THEN 'dq' END AS path,
            printf('rep_%02d', 1 + floor(12 * u(p.cnum, 5, 'owner'))::INTEGER) AS owner
        FROM people p LEFT JOIN deals d USING (cnum)
    ), changes AS ({' UNION ALL '.join(rows)})
    SELECT prog.contact_id, status, {plan.ts('sec', "u4(cnum, 5, step, 0, 'ts')")} AS changed_at,
        CASE WHEN u4(cnum, 5, step, 0, 'no_reason') < 0.12 THEN NULL ELSE (CASE status {reasons} END) END
            AS reason,
        owner
    FROM changes JOIN prog USING (cnum)
    WHERE sec < {plan.period}
    ORDER BY cnum, step"""


def _adjustments_query(plan: _Plan) -> str:
    choice = _weighted("u(cnum, 6, 'kind')", {f"{{'points': {pts}, 'reason': {_q(why)}}}": w
                                               for (pts, why), w in ADJUSTMENTS.items()})
    return f"""
    WITH picked AS (
        SELECT cnum, contact_id, {choice} AS adj,
            ws + floor(u(cnum, 6, 'created') * ({plan.period} - ws))::BIGINT AS adjusted_sec,
            CASE WHEN u(cnum, 6, 'expires') < 0.3 THEN NULL
                 ELSE adjusted_sec + ((7 + 193 * u(cnum, 6, 'ttl')) * {DAY})::BIGINT END AS expires_sec
        FROM people WHERE u(cnum, 6, 'adjusted') < 0.005
    )
    SELECT printf('ADJ%06d', row_number() OVER (ORDER BY cnum)) AS adjustment_id, contact_id,
        adj.points::DOUBLE AS points, adj.reason AS reason,
        {plan.ts('adjusted_sec', "u(cnum, 6, 'ts')")} AS created_at,
        CASE WHEN u(cnum, 6, 'by') < 0.2 THEN 'marketing_ops'
             ELSE printf('rep_%02d', 1 + floor(12 * u(cnum, 6, 'by_rep'))::INTEGER) END AS created_by,
        {plan.ts('expires_sec', "u(cnum, 6, 'ts')")} AS expires_at
    FROM picked ORDER BY cnum"""


# --- writing ------------------------------------------------------------------------------------


def _copy(con: duckdb.DuckDBPyConnection, plan: _Plan, query: str, stem: str) -> int:
    path = plan.out_dir / f"{stem}.{plan.extension}"
    options = FORMATS[plan.file_format][1]
    row = con.execute(f"COPY ({query}) TO {_q(str(path))} ({options})").fetchone()
    return int(row[0]) if row else 0


def _generated_name(name: str) -> bool:
    """A file name this command writes (``contacts.csv``, ``events_2024-06.parquet``, ...)."""
    extensions = "|".join(ext for ext, _ in FORMATS.values())
    singles = "|".join(e for e in ENTITIES if e != "events")
    return re.fullmatch(rf"(({singles})|events_\d{{4}}-\d{{2}})\.({extensions})", name) is not None


def _remove_stale_files(out_dir: Path) -> int:
    """Files of an earlier run would be loaded together with the new ones (a csv run after a parquet
    run, or months no longer in the period), so they go; other files are left alone."""
    stale = [p for p in out_dir.iterdir() if p.is_file() and _generated_name(p.name)]
    for path in stale:
        path.unlink()
    return len(stale)


def _write_all(con: duckdb.DuckDBPyConnection, plan: _Plan, say: Callable[[str], None]) -> dict[str, int]:
    counts = dict.fromkeys(LOAD_ORDER, 0)
    say(f"Generating accounts ({plan.accounts:,})...")
    _create_accounts(con, plan)
    counts["accounts"] = _copy(con, plan, _accounts_query(plan), "accounts")
    say(f"Generating contacts ({plan.contacts:,})...")
    _create_people(con, plan)
    counts["contacts"] = _copy(con, plan, _contacts_query(plan), "contacts")
    _create_campaigns(con, plan)
    for month in _months(plan):
        say(f"Generating events for {month.label}...")
        counts["events"] += _copy(con, plan, _events_query(plan, month), f"events_{month.label}")
    say("Generating opportunities...")
    _create_deals(con, plan)
    counts["opportunities"] = _copy(con, plan, _opportunities_query(plan), "opportunities")
    say("Generating lead status changes...")
    counts["lead_status_changes"] = _copy(con, plan, _status_changes_query(plan), "lead_status_changes")
    say("Generating score adjustments...")
    counts["score_adjustments"] = _copy(con, plan, _adjustments_query(plan), "score_adjustments")
    return counts


def generate(
    out_dir: Path,
    contacts: int = 2000,
    days: int = 180,
    seed: int = 42,
    end_date: str | None = None,
    file_format: str = "csv",
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write deterministic synthetic raw files to ``out_dir``; returns rows written per entity."""
    plan = _plan(out_dir, contacts, days, seed, end_date, file_format)
    say = progress or (lambda _message: None)
    try:
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        removed = _remove_stale_files(plan.out_dir)
    except OSError as error:
        raise LeadscoreError(f"cannot write to {plan.out_dir}: {error.strerror or error}.") from None
    if removed:
        say(f"Removed {removed} raw file(s) of an earlier run from {plan.out_dir}")
    say(f"Period: {plan.start} to {plan.end} ({plan.days} days), seed {plan.seed}, format {plan.file_format}")
    temp_dir = Path(tempfile.mkdtemp(prefix="leadscore-generate-"))
    try:
        con = _connect(plan, temp_dir)
        try:
            return _write_all(con, plan, say)
        finally:
            con.close()
    except duckdb.IOException as error:
        raise LeadscoreError(f"cannot write raw files to {plan.out_dir}: {error}") from None
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
