//! Applications: creating a draft, reading one's own, and the applicant's actions (submit,
//! withdraw, respond) through the case module.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tirkeu_core::case::{Actor, Input};
use tirkeu_core::lifecycle::{Action, State as CaseState};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::person::{Email, Phone};
use tirkeu_store::{Application, NewApplication, Store, StoreError, TransitionChange, with_store};
use utoipa::ToSchema;

use crate::auth::{AccessCode, applicant_case};
use crate::edge::ClientAddr;
use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem, collect};
use crate::secrets;
use crate::state::App;
use crate::texts;

use super::{
    checklist, given, known_permit_type, office_name, parse_date, parse_lang, read_applicant,
};

/// The applicant: either the passport's machine-readable zone, or the fields typed in.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// The MRZ lines separated by `\n`.
    pub mrz: Option<String>,
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub passport_number: Option<String>,
    pub nationality: Option<String>,
    pub birth_date: Option<String>,
    /// `M`, `F` or `X`.
    pub sex: Option<String>,
    pub passport_expiry: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub city: String,
    pub line: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    pub permit_type: String,
    /// `kk`, `ru`, `en` or `zh`, in any case, with a region if wanted (`ru-KZ`).
    #[schema(pattern = "^([Kk][Kk]|[Rr][Uu]|[Ee][Nn]|[Zz][Hh])([-_][\\s\\S]*)?$")]
    pub language: Option<String>,
    pub applicant: ApplicantInput,
    #[serde(default)]
    pub contact: ContactInput,
    pub address: AddressInput,
    pub arrival_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistStatus {
    pub document: String,
    pub name: String,
    pub required: bool,
    pub uploaded: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedApplication {
    pub number: String,
    /// Shown once: keep it; it is needed for every later action on the application.
    pub access_code: String,
    pub status: String,
    pub checklist: Vec<ChecklistStatus>,
}

/// Creates a draft application; returns its number and access code.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applicant", request_body = CreateApplicationRequest,
    responses((status = 201, body = CreatedApplication), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<CreateApplicationRequest>,
) -> ApiResult<(StatusCode, Json<CreatedApplication>)> {
    let (created, code) = create_draft(&app, client, &req).await?;
    let p = app.policy();
    let checklist =
        with_store!(&app.store, s => checklist(s, &p, &created, created.language).await?);
    Ok((
        StatusCode::CREATED,
        Json(CreatedApplication {
            number: created.number.to_string(),
            access_code: code,
            status: created.state.to_string(),
            checklist,
        }),
    ))
}

/// Creates a draft application as every door does (the API and the web form): checks every
/// field (problems named by the request's paths: `permit_type`, `applicant.*`, `contact.*`,
/// `address.*`), draws the number and the access code, stores the draft. Returns the draft
/// and the access code (only its hash is kept). Limited per `client`, before anything is
/// checked.
pub async fn create_draft(
    app: &App,
    client: std::net::IpAddr,
    req: &CreateApplicationRequest,
) -> ApiResult<(Application, String)> {
    app.limits.create(client)?;
    let p = app.policy();
    let today = app.today();
    let mut errors = Vec::new();
    if p.permit_type(&req.permit_type).is_none() {
        errors.push(known_permit_type(&p, "permit_type", &req.permit_type));
    }
    let language = parse_lang("language", req.language.as_deref(), &mut errors);
    let applicant = read_applicant(&req.applicant, "applicant", today, &mut errors);
    // Contact details are optional; an empty field is no contact.
    let email = given(req.contact.email.as_ref())
        .and_then(|e| collect(Email::parse_as("contact.email", e), &mut errors))
        .map(|e| e.as_str().to_owned());
    let phone = given(req.contact.phone.as_ref())
        .and_then(|v| collect(Phone::parse_as("contact.phone", v), &mut errors))
        .map(|v| v.as_str().to_owned());
    for (name, v) in [
        ("address.city", &req.address.city),
        ("address.line", &req.address.line),
    ] {
        if v.trim().is_empty() {
            errors.push(FieldProblem::new(name, "field.required"));
        } else if v.chars().count() > 200 {
            errors.push(FieldProblem::new(name, "field.too_long").with("max", 200));
        }
    }
    let arrival_date = req
        .arrival_date
        .as_deref()
        .and_then(|d| parse_date("arrival_date", d, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let applicant = applicant.expect("no errors, so the applicant was read");
    let code = secrets::access_code();
    let new = NewApplication {
        number: CaseNumber::generate(),
        access_code_hash: secrets::access_code_hash(&code),
        permit_type: req.permit_type.clone(),
        language,
        applicant,
        email,
        phone,
        address_city: req.address.city.trim().to_owned(),
        address_line: req.address.line.trim().to_owned(),
        arrival_date,
        office: p.office_for_place(&req.address.city).id.clone(),
        created_at: app.now(),
    };
    let created = with_store!(&app.store, s => s.create_application(&new, "applicant").await?);
    Ok((created, code))
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    pub number: String,
    pub status: String,
    pub version: i64,
    pub permit_type: String,
    pub language: String,
    pub next_step: String,
    /// The office handling the application (its id in the policy).
    pub office: String,
    /// The office's name in the application's language.
    pub office_name: String,
    pub checklist: Vec<ChecklistStatus>,
    pub reason: Option<String>,
    pub collection_at: Option<String>,
    pub collection_place: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
}

/// The applicant's own application.
#[utoipa::path(get, path = "/api/v1/applications/{number}", tag = "applicant",
    params(("number" = String, Path)), security(("access_code" = [])),
    responses((status = 200, body = ApplicationView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_own(
    State(app): State<App>,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
) -> ApiResult<Json<ApplicationView>> {
    let p = app.policy();
    with_store!(&app.store, s => {
        let a = applicant_case(s, &number, code.as_deref()).await?;
        let checklist = checklist(s, &p, &a, a.language).await?;
        Ok(Json(ApplicationView {
            number: a.number.to_string(),
            status: a.state.to_string(),
            version: a.version,
            permit_type: a.permit_type.clone(),
            language: a.language.to_string(),
            next_step: texts::next_step(a.state, a.language).to_owned(),
            office_name: office_name(&p, &a.office, a.language),
            office: a.office.clone(),
            checklist,
            reason: a.reason.clone(),
            collection_at: a.collection_at.map(|t| t.to_string()),
            collection_place: a.collection_place.clone(),
            valid_from: a.valid_from.map(|d| d.to_string()),
            valid_until: a.valid_until.map(|d| d.to_string()),
        }))
    })
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    pub number: String,
    pub status: String,
    pub receipt_url: Option<String>,
}

/// Runs an applicant action (submit, withdraw, respond) through the lifecycle and the store,
/// for every door: the case is opened with its number and access code.
pub async fn applicant_action<S: Store>(
    app: &App,
    s: &S,
    number: &str,
    code: Option<&str>,
    action: Action,
) -> ApiResult<Application> {
    let p = app.policy();
    let case = applicant_case(s, number, code).await?;
    let docs = s.documents(case.id).await?;
    let uploaded: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    let facts = case.facts(&uploaded);
    let decision = tirkeu_core::case::decide(
        &facts,
        action,
        Actor::applicant(),
        &Input::default(),
        &p,
        app.now(),
        &mut rand::rng(),
    )
    .map_err(|e| ApiError::from(e).in_language(case.language))?;
    let change = TransitionChange::new(
        case.id,
        case.version,
        format!("applicant:{}", case.id),
        &decision,
    );
    match s.transition(&change).await {
        Err(StoreError::Conflict { .. }) => {
            Err(ApiError::conflict("application.changed_meanwhile").in_language(case.language))
        }
        other => Ok(other?),
    }
}

fn action_result(app: &App, a: &Application) -> ActionResult {
    ActionResult {
        number: a.number.to_string(),
        status: a.state.to_string(),
        receipt_url: (a.state != CaseState::Draft).then(|| {
            format!(
                "{}/api/v1/applications/{}/receipt.pdf",
                app.config.public_url,
                a.number.compact()
            )
        }),
    }
}

macro_rules! applicant_endpoint {
    ($name:ident, $action:expr, $path:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "applicant", params(("number" = String, Path)), security(("access_code" = [])),
            responses((status = 200, body = ActionResult), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
                      (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $name(State(app): State<App>, Path(number): Path<String>, AccessCode(code): AccessCode) -> ApiResult<Json<ActionResult>> {
            let a = with_store!(&app.store, s => applicant_action(&app, s, &number, code.as_deref(), $action).await?);
            Ok(Json(action_result(&app, &a)))
        }
    };
}

applicant_endpoint!(
    submit,
    Action::Submit,
    "/api/v1/applications/{number}/submit",
    "Submits the application (422 lists missing required documents)."
);
applicant_endpoint!(
    withdraw,
    Action::Withdraw,
    "/api/v1/applications/{number}/withdraw",
    "Withdraws the application."
);
applicant_endpoint!(
    respond,
    Action::Respond,
    "/api/v1/applications/{number}/respond",
    "Answers an information request (upload the documents first)."
);
