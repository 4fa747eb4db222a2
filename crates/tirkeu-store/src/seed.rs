//! Realistic synthetic data for benchmarks and demonstrations: `tirkeu seed --cases N`.
//!
//! Each case's history is simulated from its creation with plausible delays (submission,
//! review, an occasional information request, a decision after the card type's processing
//! time, collection, issue, expiry), and the case is stored in whatever state that history
//! has reached at `now`. Old cases therefore end mostly issued, expired, rejected, withdrawn
//! or abandoned, recent ones open. Creation times lean towards `now` (the density of the age
//! falls like 1/√age over three years), as for a growing service, so that every state is
//! well represented even in a small sample.
//!
//! The output is a function of the seed and of the ids the database has already used: the
//! generator's random stream is keyed by both, so seeding twice into one database adds new,
//! non-colliding cases (numbers, passports), while the same seed into two fresh databases
//! gives the same data.
//!
//! Rows are written with [`Store::bulk_load`], a batch per transaction, up to
//! [`SeedOptions::jobs`] batches at once; for millions of cases, `tirkeu seed
//! --defer-indexes` also sets the secondary indexes aside while it loads
//! ([`Store::defer_indexes`]). Not everything the
//! live system would write is written, to keep a million cases to minutes:
//! - the audit log gets one `application.create` entry per case, one entry for the transition
//!   that led to the final state (payload as from [`Store::transition`]), and one
//!   `arrival.create` per arrival; intermediate transitions and document uploads have no
//!   entry. Every seeded entry has the actor `seed`, so it can be told from real history.
//! - no outbox messages (nobody is to be mailed), no verification tokens for issued cards, no
//!   assigned officers.
//!
//! Names are plausible Latin-script names from small per-nationality lists; passport numbers
//! are derived from the case id (unique by construction); e-mail addresses are at the
//! reserved `example.*` domains.

use futures_util::{StreamExt, stream};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use tirkeu_core::case::{self, Actor, Decision, Input, TransitionAudit};
use tirkeu_core::lifecycle::{Action, Collection, Role, State, transition_for};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::{PermitType, Policy};
use tirkeu_core::text::Lang;

use crate::error::{Result, StoreError};
use crate::model::{
    AccountRole, Applicant, Application, Arrival, ArrivalStatus, Document, NewAudit, NewUser,
    SeedBatch,
};
use crate::store::Store;

/// Cases per transaction when the caller has no better idea.
pub const DEFAULT_BATCH_SIZE: usize = 5_000;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    /// How many applications.
    pub cases: u64,
    /// The random seed: the same seed into a fresh database gives the same data.
    pub seed: u64,
    /// Cases per transaction ([`DEFAULT_BATCH_SIZE`]).
    pub batch_size: usize,
    /// Batches written at once, each in its own transaction (at least 1). More than one lets
    /// PostgreSQL insert on several cores while the next batch is generated; on SQLite, whose
    /// one writer takes a batch at a time, it overlaps generating with writing.
    pub jobs: usize,
    /// The present: cases are created in the three years before it.
    pub now: Timestamp,
}

impl SeedOptions {
    /// `cases` cases from `seed`, up to `now`, in batches of the default size.
    pub fn new(cases: u64, seed: u64, now: Timestamp) -> SeedOptions {
        SeedOptions {
            cases,
            seed,
            batch_size: DEFAULT_BATCH_SIZE,
            jobs: 1,
            now,
        }
    }
}

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeedSummary {
    pub cases: u64,
    pub documents: u64,
    pub arrivals: u64,
    /// Entries appended to the audit log, including those of new host accounts.
    pub audit_entries: u64,
    /// Host accounts created (`seed-host-N`; existing ones are reused).
    pub hosts: u64,
}

/// Generates `opts.cases` cases with the card types, documents, reasons, host kinds and
/// deadlines of `policy`, writes them in batches, and calls `progress` with the number of
/// cases written after each batch.
///
/// Meant for an otherwise idle database: rows carry ids assigned from the current maximum.
pub async fn seed<S: Store>(
    store: &S,
    policy: &Policy,
    opts: &SeedOptions,
    mut progress: impl FnMut(u64),
) -> Result<SeedSummary> {
    let mut summary = SeedSummary::default();
    let hosts = ensure_hosts(store, policy, opts, &mut summary).await?;
    let start = store.max_ids().await?;
    let mut g = Generator::new(policy, opts, hosts, start)?;
    let batch_size = opts.batch_size.max(1) as u64;
    // Batches are generated in order (ids ascending) as loads finish, and up to `jobs` are
    // written at once. Their order on the audit chain is the order of their commits, which
    // the chain does not care about: each batch holds its cases' every entry.
    let batches = opts.cases.div_ceil(batch_size);
    let mut generated = 0;
    let mut loads = stream::iter(0..batches)
        .map(|_| {
            let n = batch_size.min(opts.cases - generated);
            generated += n;
            let mut batch = SeedBatch::default();
            let made = (0..n).try_for_each(|_| g.case(&mut batch));
            async move {
                made?;
                store.bulk_load(&batch).await?;
                Ok::<_, StoreError>((n, batch))
            }
        })
        .buffer_unordered(opts.jobs.max(1));
    while let Some(loaded) = loads.next().await {
        let (n, batch) = loaded?;
        summary.cases += n;
        summary.documents += batch.documents.len() as u64;
        summary.arrivals += batch.arrivals.len() as u64;
        summary.audit_entries += batch.audit.len() as u64;
        progress(summary.cases);
    }
    Ok(summary)
}

/// Creates a work-card draft for `passport_number` and submits it, through the live path
/// (`create_application`, [`case::decide`], `transition`), as `actor` at `now`: the write a
/// submission makes, for the submit benchmark and the crash test. The checklist's documents
/// are taken as uploaded, since what those measure is the write path, not uploads.
pub async fn create_and_submit<S: Store>(
    store: &S,
    policy: &Policy,
    passport_number: String,
    actor: &str,
    now: Timestamp,
) -> Result<Application> {
    let app = store
        .create_application(
            &crate::model::NewApplication {
                number: CaseNumber::generate(),
                access_code_hash: "0".repeat(64),
                permit_type: "work".into(),
                language: Lang::En,
                applicant: Applicant {
                    surname: "SYNTHETIC".into(),
                    given_names: "CASE".into(),
                    passport_number,
                    nationality: "DEU".into(),
                    birth_date: jiff::civil::date(1990, 1, 1),
                    sex: "X".into(),
                    passport_expiry: jiff::civil::date(2035, 1, 1),
                },
                email: None,
                phone: None,
                address_city: "Almaty".into(),
                address_line: "-".into(),
                arrival_date: None,
                office: policy.office_for_place("Almaty").id.clone(),
                created_at: now,
            },
            actor,
        )
        .await?;
    let required = case::missing_documents(policy, &app.permit_type, &[]);
    let uploaded: Vec<&str> = required.iter().map(String::as_str).collect();
    let decision = case::decide(
        &app.facts(&uploaded),
        Action::Submit,
        Actor::applicant(),
        &Input::default(),
        policy,
        now,
        &mut rand::rng(),
    )
    .map_err(|e| StoreError::Config(format!("submit: {e}")))?;
    store
        .transition(&crate::model::TransitionChange::new(
            app.id,
            app.version,
            actor,
            &decision,
        ))
        .await
}

/// A password hash in argon2id's format that no password matches (its output is all
/// zeros): seeded hosts cannot log in.
const NO_PASSWORD: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2VlZC1ob3N0LW5vLWxvZ2lu$\
                           AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Host accounts `seed-host-1…`: a few hundred at most, created through the ordinary path
/// (with their audit entries) or reused from an earlier run.
async fn ensure_hosts<S: Store>(
    store: &S,
    policy: &Policy,
    opts: &SeedOptions,
    summary: &mut SeedSummary,
) -> Result<Vec<(i64, String)>> {
    let kinds = &policy.doc().host_kinds;
    if kinds.is_empty() {
        return Err(StoreError::Config("the policy has no host kinds".into()));
    }
    let weights: Vec<u32> = kinds
        .iter()
        .map(|k| match k.id.as_str() {
            "individual" => 45,
            "small_business" => 25,
            "medium_business" => 12,
            "large_business" => 10,
            _ => 4,
        })
        .collect();
    let count = (opts.cases / 20).clamp(10, 300);
    // Keyed by the seed only, so that a later run reuses the same accounts.
    let mut rng = StdRng::seed_from_u64(opts.seed ^ 0x686f_7374);
    let created_at = opts.now - SignedDuration::from_hours(24 * (3 * 365 + 60));
    let mut hosts = Vec::new();
    for i in 1..=count {
        let username = format!("seed-host-{i}");
        let kind = kinds[pick(&mut rng, &weights)].id.clone();
        match store.user_by_username(&username).await {
            Ok(u) => {
                hosts.push((u.id, u.host_kind.unwrap_or(kind)));
                continue;
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
        let user = store
            .create_user(
                &NewUser {
                    username,
                    role: AccountRole::Host,
                    password_hash: NO_PASSWORD.to_owned(),
                    host_kind: Some(kind.clone()),
                    office: None,
                    created_at,
                    email: None,
                    language: None,
                },
                "seed",
            )
            .await?;
        summary.hosts += 1;
        summary.audit_entries += 1;
        hosts.push((user.id, kind));
    }
    Ok(hosts)
}

/// An index into `weights`, with probability proportional to its weight.
fn pick(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

fn one_of<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A nationality: its share of applicants, language, phone prefix, passport series and names.
struct Nation {
    code: &'static str,
    weight: u32,
    lang: Lang,
    phone: &'static str,
    /// Letters before the eight digits of the passport number; distinct per nationality.
    series: &'static str,
    /// Whether a woman's surname takes `A` after `-OV`, `-EV`, `-IN` (Russian style).
    feminine_a: bool,
    surnames: &'static [&'static str],
    male: &'static [&'static str],
    female: &'static [&'static str],
}

/// Shares roughly as in the registrations of foreigners in Kazakhstan: Central Asian
/// neighbours and Russia first, then China, Turkey, India, Korea and the rest.
#[rustfmt::skip]
const NATIONS: &[Nation] = &[
    Nation {
        code: "UZB",
        weight: 27,
        lang: Lang::Ru,
        phone: "+998",
        series: "FA",
        feminine_a: true,
        surnames: &["YUSUPOV", "KARIMOV", "RAKHIMOV", "TASHKENTOV", "ALIMOV", "NAZAROV", "SAIDOV",
            "ERGASHEV", "MIRZAEV", "KHOLMATOV"],
        male: &["ALISHER", "BEKZOD", "DILSHOD", "JASUR", "SARDOR", "OTABEK", "SHERZOD", "AZIZ"],
        female: &["DILNOZA", "MADINA", "NILUFAR", "SEVARA", "GULNORA", "ZARINA", "MALIKA"],
    },
    Nation {
        code: "RUS",
        weight: 20,
        lang: Lang::Ru,
        phone: "+7",
        series: "RU",
        feminine_a: true,
        surnames: &["IVANOV", "SMIRNOV", "KUZNETSOV", "POPOV", "VASILEV", "SOKOLOV", "MIKHAILOV",
            "NOVIKOV", "FEDOROV", "MOROZOV", "VOLKOV", "LEBEDEV"],
        male: &["ALEKSANDR", "DMITRII", "SERGEI", "ANDREI", "ALEKSEI", "MAKSIM", "IVAN",
            "NIKOLAI"],
        female: &["ELENA", "OLGA", "NATALIA", "TATIANA", "IRINA", "ANNA", "EKATERINA", "MARIIA"],
    },
    Nation {
        code: "CHN",
        weight: 12,
        lang: Lang::Zh,
        phone: "+86",
        series: "E",
        feminine_a: false,
        surnames: &["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU"],
        male: &["WEI", "QIANG", "JUN", "LEI", "HAO", "YONG", "JIAN", "TAO"],
        female: &["FANG", "XIU YING", "NA", "MIN", "JING", "LI NA", "YAN", "XIN"],
    },
    Nation {
        code: "KGZ",
        weight: 9,
        lang: Lang::Ru,
        phone: "+996",
        series: "AC",
        feminine_a: true,
        surnames: &["ABDYLDAEV", "TOKTOGULOV", "ASANOV", "OSMONOV", "SYDYKOV", "MAMYTOV",
            "ZHUMABEKOV"],
        male: &["AIBEK", "NURLAN", "ERLAN", "AZAMAT", "BAKYT", "TALANT", "ULAN"],
        female: &["AIGERIM", "NURGUL", "AIZADA", "CHOLPON", "ELMIRA", "GULZAT", "BERMET"],
    },
    Nation {
        code: "TJK",
        weight: 6,
        lang: Lang::Ru,
        phone: "+992",
        series: "TJ",
        feminine_a: true,
        surnames: &["RAHMONOV", "SAIDZODA", "NAZAROV", "KARIMZODA", "SHARIPOV", "DAVLATOV",
            "IBROHIMOV"],
        male: &["FIRDAVS", "SUHROB", "BEHRUZ", "FARRUKH", "JAMSHED", "RUSTAM"],
        female: &["MEHRONA", "SHAHNOZA", "FARZONA", "MADINA", "NIGINA", "ZARINA"],
    },
    Nation {
        code: "TUR",
        weight: 6,
        lang: Lang::En,
        phone: "+90",
        series: "U",
        feminine_a: false,
        surnames: &["YILMAZ", "KAYA", "DEMIR", "SAHIN", "CELIK", "YILDIZ", "OZTURK", "AYDIN",
            "ARSLAN"],
        male: &["MEHMET", "MUSTAFA", "AHMET", "EMRE", "BURAK", "MURAT", "HASAN"],
        female: &["AYSE", "FATMA", "ZEYNEP", "ELIF", "EMINE", "MERVE", "SELIN"],
    },
    Nation {
        code: "IND",
        weight: 4,
        lang: Lang::En,
        phone: "+91",
        series: "Z",
        feminine_a: false,
        surnames: &["SHARMA", "SINGH", "KUMAR", "PATEL", "GUPTA", "REDDY", "IYER", "NAIR", "KHAN"],
        male: &["RAHUL", "ARJUN", "VIKRAM", "ROHAN", "AMIT", "SANJAY", "KARAN"],
        female: &["PRIYA", "ANANYA", "DIVYA", "POOJA", "NEHA", "KAVYA", "SHREYA"],
    },
    Nation {
        code: "KOR",
        weight: 3,
        lang: Lang::En,
        phone: "+82",
        series: "M",
        feminine_a: false,
        surnames: &["KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON"],
        male: &["MIN JUN", "SEO JUN", "JI HO", "HYUN WOO", "DONG HYUN", "SUNG MIN"],
        female: &["SEO YEON", "JI WOO", "HA EUN", "MIN SEO", "SU BIN", "YE JIN"],
    },
    Nation {
        code: "DEU",
        weight: 2,
        lang: Lang::En,
        phone: "+49",
        series: "C",
        feminine_a: false,
        surnames: &["MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER",
            "BECKER"],
        male: &["LUKAS", "JONAS", "FELIX", "MAXIMILIAN", "PAUL", "TOBIAS", "STEFAN"],
        female: &["ANNA", "LAURA", "JULIA", "SOPHIE", "KATHARINA", "LENA", "MARIE"],
    },
    Nation {
        code: "USA",
        weight: 2,
        lang: Lang::En,
        phone: "+1",
        series: "A",
        feminine_a: false,
        surnames: &["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS"],
        male: &["JAMES", "MICHAEL", "ROBERT", "DAVID", "WILLIAM", "DANIEL", "MATTHEW"],
        female: &["MARY", "JENNIFER", "LINDA", "SARAH", "JESSICA", "EMILY", "ASHLEY"],
    },
    Nation {
        code: "AZE",
        weight: 2,
        lang: Lang::Ru,
        phone: "+994",
        series: "AZE",
        feminine_a: true,
        surnames: &["MAMMADOV", "ALIYEV", "HASANOV", "HUSEYNOV", "GULIYEV", "ISMAYILOV"],
        male: &["ELVIN", "RASHAD", "ORKHAN", "FARID", "TURAL", "KAMRAN"],
        female: &["AYSEL", "LEYLA", "NARMIN", "GUNEL", "SEVINJ", "AYTAN"],
    },
    Nation {
        code: "TKM",
        weight: 2,
        lang: Lang::Ru,
        phone: "+993",
        series: "TM",
        feminine_a: true,
        surnames: &["ATAYEV", "BERDIYEV", "ORAZOV", "GELDIYEV", "ANNAYEV", "MURADOV"],
        male: &["MERDAN", "BATYR", "SERDAR", "DOVLET", "MAKSAT", "AKMYRAT"],
        female: &["AYNA", "MAYSA", "GULNARA", "JEREN", "OGULGEREK", "SELBI"],
    },
    Nation {
        code: "MNG",
        weight: 1,
        lang: Lang::En,
        phone: "+976",
        series: "MN",
        feminine_a: false,
        surnames: &["BATBAYAR", "GANBOLD", "ERDENE", "BOLD", "TSEND", "DORJ"],
        male: &["TEMUULEN", "BATAA", "GANZORIG", "MUNKH-ERDENE", "ENKHBAYAR"],
        female: &["ANUDARI", "NOMIN", "SARNAI", "ODGEREL", "KHULAN"],
    },
    Nation {
        code: "PAK",
        weight: 1,
        lang: Lang::En,
        phone: "+92",
        series: "PK",
        feminine_a: false,
        surnames: &["KHAN", "AHMED", "ALI", "HUSSAIN", "QURESHI", "MALIK", "CHAUDHRY"],
        male: &["MUHAMMAD", "USMAN", "BILAL", "HAMZA", "ALI", "IMRAN"],
        female: &["AYESHA", "FATIMA", "SANA", "HIRA", "ZAINAB", "MARYAM"],
    },
    Nation {
        code: "BLR",
        weight: 1,
        lang: Lang::Ru,
        phone: "+375",
        series: "MP",
        feminine_a: true,
        surnames: &["KOVALEV", "NOVIK", "MELNIKOV", "KOZLOV", "BONDAREV", "LUKIN"],
        male: &["ARTEM", "KIRILL", "PAVEL", "DENIS", "ANTON", "VLADIMIR"],
        female: &["DARIA", "ALINA", "POLINA", "VIKTORIIA", "KSENIIA", "SVETLANA"],
    },
    Nation {
        code: "GBR",
        weight: 1,
        lang: Lang::En,
        phone: "+44",
        series: "GB",
        feminine_a: false,
        surnames: &["TAYLOR", "WILSON", "EVANS", "THOMAS", "ROBERTS", "WALKER", "WRIGHT"],
        male: &["OLIVER", "GEORGE", "HARRY", "JACK", "THOMAS", "CHARLES"],
        female: &["OLIVIA", "AMELIA", "ISLA", "EMILY", "GRACE", "CHARLOTTE"],
    },
];

/// Roughly how cases divide among the default policy's offices; others get a little.
fn office_weight(id: &str) -> u32 {
    match id {
        "almaty" => 38,
        "astana" => 30,
        "shymkent" => 13,
        "karaganda" => 10,
        "aktobe" => 9,
        _ => 5,
    }
}

const STREETS: &[&str] = &[
    "Abay Ave",
    "Dostyk Ave",
    "Tole Bi St",
    "Satpaev St",
    "Kabanbay Batyr Ave",
    "Respublika Ave",
    "Baitursynov St",
    "Zheltoksan St",
    "Auezov St",
    "Furmanov St",
    "Seifullin Ave",
    "Turan Ave",
];

const MAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// Roughly how the work of the service divides among card types; unknown types get a little.
fn permit_weight(id: &str) -> u32 {
    match id {
        "work" => 45,
        "study" => 20,
        "family" => 15,
        "long_stay_visitor" => 8,
        "permanent_residence" => 7,
        "investment" => 5,
        _ => 3,
    }
}

/// A card type with what the generator needs from the policy.
struct TypeInfo<'p> {
    doc: &'p PermitType,
    /// `(document id, required, content types)`.
    documents: Vec<(&'p str, bool, &'p [String])>,
    /// Processing time in calendar days (working days × 7/5, rounded up).
    processing_days: i64,
}

/// One step of a simulated history: what the actor does and supplies; [`case::decide`]
/// says what it writes.
#[derive(Clone, Debug)]
struct Step {
    action: Action,
    at: Timestamp,
    input: Input,
}

fn step(action: Action, at: Timestamp) -> Step {
    Step {
        action,
        at,
        input: Input::default(),
    }
}

/// Who takes `action` in a simulated history: the first role the lifecycle allows (a
/// supervisor for the decisions that take a second person), with no account (seeded cases
/// have no assigned officers).
fn actor_for(action: Action) -> Actor<'static> {
    if tirkeu_core::access::needs_second_person(action) {
        Actor::anonymous(Role::Supervisor)
    } else {
        Actor::anonymous(transition_for(action).roles[0])
    }
}

/// A simulated case before its history is decided.
struct Simulated {
    /// The draft, as created.
    app: Application,
    documents: Vec<Document>,
    steps: Vec<Step>,
    decide_seed: u64,
}

struct Generator<'p> {
    rng: StdRng,
    policy: &'p Policy,
    tz: TimeZone,
    now: Timestamp,
    types: Vec<TypeInfo<'p>>,
    type_weights: Vec<u32>,
    nation_weights: Vec<u32>,
    office_weights: Vec<u32>,
    /// Reason ids accepted by `request_info`, `reject` and `revoke`.
    info_reasons: Vec<&'p str>,
    reject_reasons: Vec<&'p str>,
    revoke_reasons: Vec<&'p str>,
    hosts: Vec<(i64, String)>,
    next_application: i64,
    next_document: i64,
    next_arrival: i64,
}

const DAY: i64 = 24;

impl<'p> Generator<'p> {
    fn new(
        policy: &'p Policy,
        opts: &SeedOptions,
        hosts: Vec<(i64, String)>,
        start: crate::model::MaxIds,
    ) -> Result<Generator<'p>> {
        let doc = policy.doc();
        let mut types = Vec::new();
        for t in &doc.permit_types {
            let mut documents = Vec::new();
            for item in &t.documents {
                let d = policy.document(&item.id).ok_or_else(|| {
                    StoreError::Config(format!(
                        "card type {} lists unknown document {}",
                        t.id, item.id
                    ))
                })?;
                documents.push((item.id.as_str(), item.required, d.content_types.as_slice()));
            }
            types.push(TypeInfo {
                doc: t,
                documents,
                processing_days: ((i64::from(t.processing_days) * 7 + 4) / 5).max(1),
            });
        }
        if types.is_empty() {
            return Err(StoreError::Config("the policy has no card types".into()));
        }
        let reasons = |action: &str| -> Vec<&'p str> {
            let mut r: Vec<&str> = doc
                .reasons
                .iter()
                .filter(|r| r.actions.iter().any(|a| a == action))
                .map(|r| r.id.as_str())
                .collect();
            if r.is_empty() {
                r.push("other");
            }
            r
        };
        // Keyed by where the ids start, so a second run into the same database draws new
        // numbers instead of repeating the first run's.
        let start_key = u64::try_from(start.applications)
            .unwrap_or_default()
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Ok(Generator {
            rng: StdRng::seed_from_u64(opts.seed ^ start_key),
            policy,
            tz: policy.time_zone().clone(),
            now: opts.now,
            type_weights: types.iter().map(|t| permit_weight(&t.doc.id)).collect(),
            types,
            nation_weights: NATIONS.iter().map(|n| n.weight).collect(),
            office_weights: doc.offices.iter().map(|o| office_weight(&o.id)).collect(),
            info_reasons: reasons("request_info"),
            reject_reasons: reasons("reject"),
            revoke_reasons: reasons("revoke"),
            hosts,
            next_application: start.applications + 1,
            next_document: start.documents + 1,
            next_arrival: start.arrivals + 1,
        })
    }

    /// A random instant between `from + min_hours` and `from + max_hours`.
    fn after(&mut self, from: Timestamp, min_hours: i64, max_hours: i64) -> Timestamp {
        let secs = self.rng.random_range(min_hours * 3600..=max_hours * 3600);
        from + SignedDuration::from_secs(secs)
    }

    fn date(&self, t: Timestamp) -> Date {
        t.to_zoned_datetime(self.tz.clone()).date()
    }

    /// A local time on `day` between `from_hour` and `to_hour`.
    fn local(&mut self, day: Date, from_hour: i8, to_hour: i8) -> Timestamp {
        let h = self.rng.random_range(from_hour..to_hour);
        let m = self.rng.random_range(0..60);
        day.at(h, m, 0, 0)
            .to_zoned_datetime(self.tz.clone())
            .map_or(self.now, |z| z.timestamp())
    }

    fn hex32(&mut self) -> String {
        let bytes: [u8; 32] = self.rng.random();
        hex::encode(bytes)
    }

    /// Adds one case — the application, its documents, maybe an arrival, and their audit
    /// entries — to `batch`.
    fn case(&mut self, batch: &mut SeedBatch) -> Result<()> {
        let Simulated {
            mut app,
            documents,
            steps,
            decide_seed,
        } = self.simulate();
        let uploaded: Vec<&str> = documents.iter().map(|d| d.kind.as_str()).collect();
        let last = Self::replay(
            self.policy,
            &mut app,
            &uploaded,
            &steps,
            &mut StdRng::seed_from_u64(decide_seed),
        )?;
        batch.documents.extend(documents);
        if self.rng.random_bool(0.5) {
            let arrival_day = app
                .arrival_date
                .unwrap_or_else(|| self.date(app.created_at));
            self.arrival(batch, &app, arrival_day);
        }
        case_audit(batch, &app, last.as_ref());
        batch.applications.push(app);
        Ok(())
    }

    /// A case as a person would make it: the draft, the documents uploaded, and the steps of
    /// its history up to now, with the seed of what the decisions will draw.
    fn simulate(&mut self) -> Simulated {
        let id = self.next_application;
        self.next_application += 1;
        let ty = pick(&mut self.rng, &self.type_weights);
        let permit: &'p PermitType = self.types[ty].doc;
        let nation = &NATIONS[pick(&mut self.rng, &self.nation_weights)];
        let office = &self.policy.doc().offices[pick(&mut self.rng, &self.office_weights)];
        // A city the office serves, as an applicant would type it.
        let city = office
            .serves
            .first()
            .map_or_else(|| office.name.get(Lang::En), String::as_str);
        let office = office.id.as_str();

        // Age leaning towards the present: density ∝ 1/√age over three years.
        let u: f64 = self.rng.random();
        #[allow(clippy::cast_possible_truncation)] // at most three years in seconds
        let age_secs = (u * u * 3.0 * 365.0 * 86_400.0) as i64;
        let created_at = self.now - SignedDuration::from_secs(age_secs.max(60));
        let created_day = self.date(created_at);

        let applicant = self.applicant(id, nation, &permit.id, created_day);

        let arrival_day = created_day - self.rng.random_range(1..=75_i64).days();
        let address_line = format!(
            "{} {}, apt {}",
            one_of(&mut self.rng, STREETS),
            self.rng.random_range(1..=250),
            self.rng.random_range(1..=180)
        );
        let email = self.rng.random_bool(0.85).then(|| {
            format!(
                "{}.{}{}@{}",
                applicant
                    .given_names
                    .split(' ')
                    .next()
                    .unwrap_or("x")
                    .to_lowercase(),
                applicant.surname.to_lowercase(),
                id % 1000,
                one_of(&mut self.rng, MAIL_DOMAINS)
            )
        });
        let phone = self.rng.random_bool(0.6).then(|| {
            format!(
                "{}{}",
                nation.phone,
                self.rng.random_range(100_000_000..999_999_999)
            )
        });
        let language = if nation.lang == Lang::Ru && self.rng.random_bool(0.08) {
            Lang::Kk
        } else if self.rng.random_bool(0.05) {
            Lang::En
        } else {
            nation.lang
        };

        let steps = self.history(ty, created_at, applicant.passport_expiry, city);
        let app = Application {
            id,
            number: CaseNumber::generate_with(&mut self.rng),
            access_code_hash: self.hex32(),
            permit_type: permit.id.clone(),
            language,
            state: State::Draft,
            version: 1,
            applicant,
            email,
            phone,
            address_city: city.to_owned(),
            address_line,
            arrival_date: Some(arrival_day),
            office: office.to_owned(),
            assigned_officer: None,
            created_at,
            updated_at: created_at,
            submitted_at: None,
            due_at: None,
            decided_at: None,
            reason: None,
            valid_from: None,
            valid_until: None,
            collection_at: None,
            collection_place: None,
            card_number: None,
            respond_by: None,
            purged_at: None,
        };
        let submitted = steps
            .iter()
            .find(|s| s.action == Action::Submit)
            .map(|s| s.at);
        let documents = self.documents(&app, ty, submitted, steps.first().map(|s| s.at));
        Simulated {
            app,
            documents,
            steps,
            decide_seed: self.rng.random(),
        }
    }

    /// Replays `steps` on `app` through [`case::decide`], as the live path would, with `rng`
    /// for what the decisions draw; returns the last decision, for its audit entry.
    fn replay(
        policy: &Policy,
        app: &mut Application,
        uploaded: &[&str],
        steps: &[Step],
        rng: &mut StdRng,
    ) -> Result<Option<Decision>> {
        let mut last = None;
        for s in steps {
            let d = case::decide(
                &app.facts(uploaded),
                s.action,
                actor_for(s.action),
                &s.input,
                policy,
                s.at,
                rng,
            )
            .map_err(|e| StoreError::Config(format!("simulated {}: {e}", s.action)))?;
            apply(app, &d);
            last = Some(d);
        }
        Ok(last)
    }

    fn applicant(&mut self, id: i64, n: &Nation, permit_type: &str, created: Date) -> Applicant {
        let female = self
            .rng
            .random_bool(if permit_type == "work" { 0.3 } else { 0.5 });
        let mut surname = one_of(&mut self.rng, n.surnames).to_owned();
        if female && n.feminine_a && ["OV", "EV", "IN"].iter().any(|s| surname.ends_with(s)) {
            surname.push('A');
        }
        let given = one_of(&mut self.rng, if female { n.female } else { n.male }).to_owned();
        let birth_year: i16 = if permit_type == "study" {
            self.rng.random_range(1996..=2006)
        } else {
            self.rng.random_range(1960..=2004)
        };
        let birth_date = Date::new(
            birth_year,
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28),
        )
        .unwrap_or(created);
        // Eight digits that are a bijection of the id below 10⁸ (the multiplier is prime to
        // 10): unique per case without looking like a counter.
        let digits = (u64::try_from(id).unwrap_or_default() % 100_000_000).wrapping_mul(73_856_093)
            % 100_000_000;
        Applicant {
            surname,
            given_names: given,
            passport_number: format!("{}{digits:08}", n.series),
            nationality: n.code.to_owned(),
            birth_date,
            sex: if female { "F" } else { "M" }.to_owned(),
            passport_expiry: created + self.rng.random_range(400..=3650_i64).days(),
        }
    }

    /// The transitions a case goes through from `created`, up to `now`.
    fn history(
        &mut self,
        ty: usize,
        created: Timestamp,
        passport_expiry: Date,
        city: &str,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        // Drafts: most are submitted within days; some are dropped or left to lapse.
        let r: f64 = self.rng.random();
        if r < 0.02 {
            let at = self.after(created, 1, 10 * DAY);
            steps.push(step(Action::Withdraw, at));
            return self.until_now(steps);
        }
        if r < 0.10 {
            // Abandoned by the worker once the policy's draft period is over.
            let period = i64::from(self.policy.timers().draft_days) * DAY;
            let at = self.after(created, period, period + DAY);
            steps.push(step(Action::Abandon, at));
            return self.until_now(steps);
        }
        let submitted = self.after(created, 0, 6 * DAY);
        steps.push(step(Action::Submit, submitted));
        let mut t = self.after(submitted, 2, 4 * DAY);
        steps.push(step(Action::StartReview, t));
        let mut open_until = None;
        if self.rng.random_bool(0.15) {
            t = self.after(t, DAY, 5 * DAY);
            steps.push(self.with_reason(step(Action::RequestInfo, t)));
            // As the worker would: abandoned just after the policy's answer deadline, or
            // answered before it.
            let due = self.policy.info_response_due(t);
            if self.rng.random_bool(0.15) {
                t = self.after(due, 1, DAY);
                steps.push(step(Action::Abandon, t));
                open_until = Some(t);
            } else {
                let span = due.duration_since(t).as_secs().max(2);
                t += SignedDuration::from_secs(self.rng.random_range(1..span));
                steps.push(step(Action::Respond, t));
            }
        }
        if open_until.is_none() {
            let days = self.types[ty].processing_days;
            t = self.after(t, days * DAY * 2 / 5, days * DAY * 11 / 10);
            if self.rng.random_bool(0.1) {
                steps.push(self.with_reason(step(Action::Reject, t)));
                open_until = Some(t);
            } else {
                steps.push(step(Action::Approve, t));
                t = self.after(t, 4, 5 * DAY);
                let day = self.date(t) + self.rng.random_range(2..=10_i64).days();
                let appointment = self.local(day, 9, 17);
                steps.push(Step {
                    input: Input {
                        collection: Some(Collection {
                            at: appointment,
                            place: format!("Migration service, {city}"),
                        }),
                        ..Input::default()
                    },
                    ..step(Action::ScheduleCollection, t)
                });
                t = self.after(appointment, 0, 1);
                if self.rng.random_bool(0.04) {
                    let lapse = self.after(t, 30 * DAY, 31 * DAY);
                    steps.push(step(Action::Abandon, lapse));
                    open_until = Some(lapse);
                } else {
                    // Valid for the card type's period, but not beyond the passport.
                    let from = self.date(t);
                    let days = i64::from(self.types[ty].doc.max_validity_days).max(1);
                    let until = (from + (days - 1).days()).min(passport_expiry);
                    steps.push(Step {
                        input: Input {
                            valid_from: Some(from),
                            valid_until: Some(until),
                            ..Input::default()
                        },
                        ..step(Action::Issue, t)
                    });
                    open_until = Some(t);
                    let expiry = self.local(until + 1.day(), 0, 1);
                    if self.rng.random_bool(0.015) {
                        let span = expiry.duration_since(t).as_secs().max(2);
                        let at = t + SignedDuration::from_secs(self.rng.random_range(1..span));
                        steps.push(self.with_reason(step(Action::Revoke, at)));
                    } else {
                        steps.push(step(Action::Expire, expiry));
                    }
                }
            }
        }
        // Some applicants withdraw while the case is open: between submission and the
        // decision that closed it (or the present).
        if self.rng.random_bool(0.04) {
            let end = open_until.unwrap_or(self.now).min(self.now);
            let span = end.duration_since(submitted).as_secs();
            if span > 3600 {
                let at = submitted + SignedDuration::from_secs(self.rng.random_range(1..span));
                steps.retain(|s| s.at < at);
                steps.push(step(Action::Withdraw, at));
            }
        }
        self.until_now(steps)
    }

    /// `s` with a reason code the policy accepts for its action.
    fn with_reason(&mut self, mut s: Step) -> Step {
        let pool = match s.action {
            Action::RequestInfo => &self.info_reasons,
            Action::Reject => &self.reject_reasons,
            _ => &self.revoke_reasons,
        };
        s.input.reason = Some(pool[self.rng.random_range(0..pool.len())].to_owned());
        s
    }

    fn until_now(&self, mut steps: Vec<Step>) -> Vec<Step> {
        steps.retain(|s| s.at <= self.now);
        steps
    }

    /// The checklist's required documents (and some optional ones) for a submitted case,
    /// part of them for a draft, uploaded between creation and submission.
    fn documents(
        &mut self,
        app: &Application,
        ty: usize,
        submitted: Option<Timestamp>,
        first: Option<Timestamp>,
    ) -> Vec<Document> {
        let mut out = Vec::new();
        let last = submitted.or(first).unwrap_or(self.now).min(self.now);
        let window = last.duration_since(app.created_at).as_secs().max(1);
        let n = self.types[ty].documents.len();
        for i in 0..n {
            let (kind, required, types) = self.types[ty].documents[i];
            let take = if submitted.is_some() {
                required || self.rng.random_bool(0.3)
            } else {
                self.rng.random_bool(if required { 0.5 } else { 0.1 })
            };
            if !take {
                continue;
            }
            let content_type = if types.is_empty() {
                "application/pdf".to_owned()
            } else {
                types[self.rng.random_range(0..types.len())].clone()
            };
            let size = self.rng.random_range(50_000..=5_000_000);
            let created_at =
                app.created_at + SignedDuration::from_secs(self.rng.random_range(0..window));
            out.push(Document {
                id: self.next_document,
                application_id: app.id,
                kind: kind.to_owned(),
                sha256: self.hex32(),
                size,
                content_type,
                created_at,
            });
            self.next_document += 1;
        }
        out
    }

    /// The host's notification of the applicant's arrival; about one in ten is late.
    fn arrival(&mut self, batch: &mut SeedBatch, app: &Application, day: Date) {
        let (host_id, kind) = self.hosts[self.rng.random_range(0..self.hosts.len())].clone();
        let arrived_at = self.local(day, 0, 24);
        let late = self.rng.random_bool(0.1);
        let covered = self.policy.notification_deadline(arrived_at, None).ok();
        let deadline_at = covered.as_ref().map_or_else(
            // Outside the calendar's years: the guide's 72 hours, and no fine.
            || arrived_at + SignedDuration::from_hours(72),
            jiff::ZonedDateTime::timestamp,
        );
        let notified_at = if late {
            self.after(deadline_at, 1, 10 * DAY)
        } else {
            let window = deadline_at.duration_since(arrived_at).as_secs().max(3600);
            arrived_at + SignedDuration::from_secs(self.rng.random_range(600..window.max(601)))
        };
        let fine_kzt = if covered.is_some() {
            self.policy
                .assess_notification(arrived_at, Some(notified_at), &kind, None)
                .ok()
                .and_then(|a| a.fine)
                .and_then(|f| i64::try_from(f.kzt).ok())
        } else {
            None
        };
        let id = self.next_arrival;
        self.next_arrival += 1;
        let p = &app.applicant;
        batch.arrivals.push(Arrival {
            id,
            confirmation_number: format!("ARR-{id:08}"),
            host_id,
            surname: p.surname.clone(),
            given_names: p.given_names.clone(),
            passport_number: p.passport_number.clone(),
            nationality: p.nationality.clone(),
            birth_date: p.birth_date,
            address_city: app.address_city.clone(),
            address_line: app.address_line.clone(),
            arrived_at,
            status: ArrivalStatus::Notified,
            notified_at: Some(notified_at),
            deadline_at,
            late: notified_at > deadline_at,
            fine_kzt,
        });
        batch.audit.push(NewAudit {
            at: notified_at,
            actor: "seed".into(),
            action: "arrival.create".into(),
            object: format!("arrival:{id}"),
            payload: serde_json::json!({"host_id": host_id, "status": "notified", "late": notified_at > deadline_at}),
        });
    }
}

/// A case's audit entries: its creation and the transition that led to its state (its
/// payload as [`Store::transition`] writes it).
fn case_audit(batch: &mut SeedBatch, app: &Application, last: Option<&Decision>) {
    batch.audit.push(NewAudit {
            at: app.created_at,
            actor: "seed".into(),
            action: "application.create".into(),
            object: format!("application:{}", app.id),
            payload: serde_json::json!({"state": "draft", "permit_type": app.permit_type, "version": 1}),
        });
    if let Some(d) = last {
        let audit = TransitionAudit::new(d.from, d.to, app.version - 1, &d.changes);
        batch.audit.push(NewAudit {
            at: d.at,
            actor: "seed".into(),
            action: format!("application.{}", d.action),
            object: format!("application:{}", app.id),
            payload: serde_json::to_value(audit).unwrap_or_default(),
        });
    }
}

/// `field = COALESCE(value, field)`.
fn set<T: Clone>(field: &mut Option<T>, value: Option<&T>) {
    if let Some(v) = value {
        *field = Some(v.clone());
    }
}

/// Writes what `d` decided onto `app`, as [`Store::transition`] does in SQL.
fn apply(app: &mut Application, d: &Decision) {
    let c = &d.changes;
    set(&mut app.reason, c.reason.as_ref());
    set(&mut app.valid_from, c.valid_from.as_ref());
    set(&mut app.valid_until, c.valid_until.as_ref());
    set(&mut app.collection_at, c.collection_at.as_ref());
    set(&mut app.collection_place, c.collection_place.as_ref());
    set(&mut app.card_number, c.card_number.as_ref());
    set(&mut app.submitted_at, c.submitted_at.as_ref());
    set(&mut app.due_at, c.due_at.as_ref());
    set(&mut app.assigned_officer, c.assigned_officer.as_ref());
    set(&mut app.decided_at, c.decided_at.as_ref());
    set(&mut app.respond_by, c.respond_by.as_ref());
    app.state = d.to;
    app.version += 1;
    app.updated_at = d.at;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewApplication, NewDocument, TransitionChange};

    /// The seeder writes exactly what the live path (decide, then `Store::transition`) writes
    /// for the same history: every field of every case, and the last transition's audit
    /// payload.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_seeder_writes_what_the_live_path_would() {
        let policy = Policy::default_kz();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = crate::SqliteStore::open(&url, [7; 32], false)
            .await
            .unwrap();
        let opts = SeedOptions::new(0, 11, "2026-11-15T12:00:00Z".parse().unwrap());
        let hosts = vec![(1, "individual".to_owned())];
        let mut g = Generator::new(&policy, &opts, hosts, crate::model::MaxIds::default()).unwrap();
        let mut states = std::collections::BTreeSet::new();
        for _ in 0..250 {
            let sim = g.simulate();
            let mut seeded = sim.app.clone();
            let uploaded: Vec<&str> = sim.documents.iter().map(|d| d.kind.as_str()).collect();
            let mut rng = StdRng::seed_from_u64(sim.decide_seed);
            let last =
                Generator::replay(&policy, &mut seeded, &uploaded, &sim.steps, &mut rng).unwrap();

            let a = &sim.app;
            let mut live = store
                .create_application(
                    &NewApplication {
                        number: a.number,
                        access_code_hash: a.access_code_hash.clone(),
                        permit_type: a.permit_type.clone(),
                        language: a.language,
                        applicant: a.applicant.clone(),
                        email: a.email.clone(),
                        phone: a.phone.clone(),
                        address_city: a.address_city.clone(),
                        address_line: a.address_line.clone(),
                        arrival_date: a.arrival_date,
                        office: a.office.clone(),
                        created_at: a.created_at,
                    },
                    "applicant",
                )
                .await
                .unwrap();
            for d in &sim.documents {
                let doc = NewDocument {
                    application_id: live.id,
                    kind: d.kind.clone(),
                    sha256: d.sha256.clone(),
                    size: d.size,
                    content_type: d.content_type.clone(),
                    created_at: d.created_at,
                };
                store.add_document(&doc, "applicant").await.unwrap();
            }
            let mut rng = StdRng::seed_from_u64(sim.decide_seed);
            for s in &sim.steps {
                let docs = store.documents(live.id).await.unwrap();
                let kinds: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
                let facts = live.facts(&kinds);
                let d = case::decide(
                    &facts,
                    s.action,
                    actor_for(s.action),
                    &s.input,
                    &policy,
                    s.at,
                    &mut rng,
                )
                .unwrap();
                live = store
                    .transition(&TransitionChange::new(live.id, live.version, "test", &d))
                    .await
                    .unwrap();
            }
            seeded.id = live.id;
            assert_eq!(live, seeded, "case {} after {:?}", live.number, sim.steps);
            if let Some(d) = last {
                let entries = store.audit_entries(0, u32::MAX).await.unwrap();
                let entry = entries.last().unwrap();
                let seeded_payload = serde_json::to_value(TransitionAudit::new(
                    d.from,
                    d.to,
                    seeded.version - 1,
                    &d.changes,
                ))
                .unwrap();
                let live_payload: serde_json::Value = serde_json::from_str(&entry.payload).unwrap();
                assert_eq!(live_payload, seeded_payload);
            }
            states.insert(live.state);
        }
        assert!(states.len() >= 9, "too few states covered: {states:?}");
    }

    #[test]
    fn passport_digits_are_a_bijection() {
        let mut seen = std::collections::HashSet::new();
        for id in 0..200_000_u64 {
            assert!(seen.insert(id.wrapping_mul(73_856_093) % 100_000_000));
        }
    }

    #[test]
    fn pick_follows_weights() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut counts = [0; 3];
        for _ in 0..10_000 {
            counts[pick(&mut rng, &[1, 0, 3])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((7_000..8_000).contains(&counts[2]), "{counts:?}");
    }
}
