//! The applicant's side: eligibility, applications, documents, submission, receipts, status.
//!
//! Applicants have no account: creating an application returns its number and an access
//! code (≥ 128 random bits, stored only as a hash), which later requests send as
//! `Authorization: Bearer <access code>`.

use axum::Json;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tirkeu_core::case::{Actor, CaseFacts, Input};
use tirkeu_core::lifecycle::{Action, State as CaseState};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::person::{self, ApplicantFields, Email, Nationality, Phone};
use tirkeu_core::policy::{Policy, StayAssessment};
use tirkeu_core::stay::Stay;
use tirkeu_core::text::Lang;
use tirkeu_store::{
    Applicant, Application, Document, NewApplication, NewDocument, Store, StoreError,
    TransitionChange, with_store,
};
use utoipa::ToSchema;

use crate::auth::{AccessCode, applicant_case};
use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem};
use crate::receipt::{self, ReceiptData};
use crate::secrets;
use crate::state::App;
use crate::texts;
use crate::upload::{self, Limits};

fn parse_date(field: &str, s: &str, errors: &mut Vec<FieldProblem>) -> Option<Date> {
    match s.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldProblem::new(field, "date.invalid").with("value", s));
            None
        }
    }
}

/// A problem for `value` as a card type, naming the ones the policy knows.
fn known_permit_type(p: &Policy, field: &str, value: &str) -> FieldProblem {
    let known: Vec<_> = p.doc().permit_types.iter().map(|t| t.id.as_str()).collect();
    FieldProblem::new(field, "permit_type.unknown")
        .with("value", value)
        .with("known", known.join(", "))
}

fn parse_lang(field: &str, s: Option<&str>, errors: &mut Vec<FieldProblem>) -> Lang {
    match s.map(str::parse::<Lang>) {
        None => Lang::En,
        Some(Ok(l)) => l,
        Some(Err(e)) => {
            errors.push(FieldProblem::new(field, "language.unknown").with("value", e.0));
            Lang::En
        }
    }
}

// ----------------------------------------------------------------------------------------
// Eligibility

/// A stay of the foreigner: entry and exit dates (exit absent while the stay goes on).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayInput {
    pub entry: String,
    pub exit: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRequest {
    /// ISO 3166-1 alpha-3, e.g. `DEU`.
    pub nationality: String,
    /// A card type id (`work`, `study`, …) to narrow the answer.
    pub purpose: Option<String>,
    /// Past and current stays.
    #[serde(default)]
    pub stays: Vec<StayInput>,
    /// The control date (default: today in Asia/Almaty).
    pub on: Option<String>,
    /// The planned departure date.
    pub planned_until: Option<String>,
    /// `kk`, `ru`, `en` or `zh` (default `en`).
    pub language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistEntry {
    pub document: String,
    pub name: String,
    pub hint: String,
    pub required: bool,
    pub content_types: Vec<String>,
    pub max_size_mb: u32,
}

#[derive(Serialize, ToSchema)]
pub struct CardTypeAnswer {
    pub id: String,
    pub name: String,
    pub description: String,
    pub processing_days: u32,
    pub max_validity_days: u32,
    pub fee_kzt: Option<u64>,
    pub checklist: Vec<ChecklistEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct EligibilityResponse {
    #[schema(value_type = Object)]
    pub stay: StayAssessment,
    pub needs_card: bool,
    pub card_types: Vec<CardTypeAnswer>,
    /// The host's deadline to notify the arrival, e.g. `3wd` (working days) or `72h`.
    pub arrival_notification_rule: String,
}

fn card_type_answer(
    p: &Policy,
    t: &tirkeu_core::policy::PermitType,
    lang: Lang,
    on: Date,
) -> CardTypeAnswer {
    CardTypeAnswer {
        id: t.id.clone(),
        name: t.name.get(lang).to_owned(),
        description: t.description.get(lang).to_owned(),
        processing_days: t.processing_days,
        max_validity_days: t.max_validity_days,
        fee_kzt: p.to_kzt(t.fee, on).ok(),
        checklist: t
            .documents
            .iter()
            .filter_map(|c| {
                p.document(&c.id).map(|d| ChecklistEntry {
                    document: d.id.clone(),
                    name: d.name.get(lang).to_owned(),
                    hint: d.hint.get(lang).to_owned(),
                    required: c.required,
                    content_types: d.content_types.clone(),
                    max_size_mb: d.max_size_mb,
                })
            })
            .collect(),
    }
}

/// Whether a card is needed, which types fit, the checklist and deadlines.
#[utoipa::path(post, path = "/api/v1/eligibility", tag = "applicant", request_body = EligibilityRequest,
    responses((status = 200, body = EligibilityResponse), (status = 422, body = crate::error::Problem)))]
pub async fn eligibility(
    State(app): State<App>,
    ApiJson(req): ApiJson<EligibilityRequest>,
) -> ApiResult<Json<EligibilityResponse>> {
    let p = app.policy();
    let mut errors = Vec::new();
    let lang = parse_lang("language", req.language.as_deref(), &mut errors);
    let on = match &req.on {
        Some(s) => parse_date("on", s, &mut errors),
        None => Some(app.today()),
    };
    let until = req
        .planned_until
        .as_deref()
        .and_then(|s| parse_date("planned_until", s, &mut errors));
    let nat = Nationality::parse_as("nationality", &req.nationality)
        .map_err(|p| errors.push(p))
        .ok();
    let mut stays = Vec::new();
    for (i, s) in req.stays.iter().enumerate() {
        let entry = parse_date(&format!("stays[{i}].entry"), &s.entry, &mut errors);
        let exit = s
            .exit
            .as_deref()
            .and_then(|x| parse_date(&format!("stays[{i}].exit"), x, &mut errors));
        if let Some(entry) = entry {
            stays.push(Stay { entry, exit });
        }
    }
    if let Some(purpose) = &req.purpose
        && p.permit_type(purpose).is_none()
    {
        errors.push(known_permit_type(&p, "purpose", purpose));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let (on, nat) = (on.expect("checked"), nat.expect("checked"));
    let stay = p
        .assess_stay(nat.as_str(), &stays, on, until)
        .map_err(|e| match &e {
            tirkeu_core::policy::PolicyUseError::Stay(s) => {
                let mut problem = s.problem();
                match s.field() {
                    "stay" => "stays",
                    "until" => "planned_until",
                    other => other,
                }
                .clone_into(&mut problem.field);
                ApiError::field(problem)
            }
            tirkeu_core::policy::PolicyUseError::NoStayRule(on) => {
                ApiError::field(FieldProblem::new("on", "stay.no_rule").with("on", on))
            }
            other => ApiError::internal(other),
        })?;
    let card_types = p
        .doc()
        .permit_types
        .iter()
        .filter(|t| req.purpose.as_ref().is_none_or(|purpose| &t.id == purpose))
        .map(|t| card_type_answer(&p, t, lang, on))
        .collect();
    Ok(Json(EligibilityResponse {
        needs_card: stay.report.needs_card,
        stay,
        card_types,
        arrival_notification_rule: p.doc().arrival_notification.deadline.to_string(),
    }))
}

// ----------------------------------------------------------------------------------------
// Creating an application

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

/// The name of the office `id` in `lang` (its id if the policy no longer lists it).
pub(crate) fn office_name(p: &Policy, id: &str, lang: Lang) -> String {
    p.office_name(id, lang).unwrap_or(id).to_owned()
}

/// An optional text field's value: `None` when absent or blank.
fn given(v: Option<&String>) -> Option<&str> {
    v.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Reads the applicant from the MRZ or from fields, naming every problem under `prefix`.
pub fn read_applicant(
    input: &ApplicantInput,
    prefix: &str,
    today: Date,
    errors: &mut Vec<FieldProblem>,
) -> Option<Applicant> {
    let read = match &input.mrz {
        Some(text) => person::Applicant::from_mrz(text, today),
        None => person::Applicant::from_fields(
            &ApplicantFields {
                surname: input.surname.as_deref(),
                given_names: input.given_names.as_deref(),
                passport_number: input.passport_number.as_deref(),
                nationality: input.nationality.as_deref(),
                birth_date: input.birth_date.as_deref(),
                sex: input.sex.as_deref(),
                passport_expiry: input.passport_expiry.as_deref(),
            },
            today,
        ),
    };
    match read {
        Ok(a) => Some(Applicant::from(&a)),
        Err(problems) => {
            errors.extend(problems.into_iter().map(|p| p.under(prefix)));
            None
        }
    }
}

async fn checklist<S: Store>(
    s: &S,
    p: &Policy,
    a: &Application,
) -> ApiResult<Vec<ChecklistStatus>> {
    let docs = s.documents(a.id).await?;
    let Some(t) = p.permit_type(&a.permit_type) else {
        return Ok(Vec::new());
    };
    Ok(t.documents
        .iter()
        .map(|c| ChecklistStatus {
            document: c.id.clone(),
            name: p
                .document(&c.id)
                .map_or_else(|| c.id.clone(), |d| d.name.get(a.language).to_owned()),
            required: c.required,
            uploaded: docs.iter().any(|d| d.kind == c.id),
        })
        .collect())
}

/// Creates a draft application; returns its number and access code.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applicant", request_body = CreateApplicationRequest,
    responses((status = 201, body = CreatedApplication), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    ApiJson(req): ApiJson<CreateApplicationRequest>,
) -> ApiResult<(StatusCode, Json<CreatedApplication>)> {
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
        .and_then(|e| {
            Email::parse_as("contact.email", e)
                .map_err(|p| errors.push(p))
                .ok()
        })
        .map(|e| e.as_str().to_owned());
    let phone = given(req.contact.phone.as_ref())
        .and_then(|v| {
            Phone::parse_as("contact.phone", v)
                .map_err(|p| errors.push(p))
                .ok()
        })
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
    let (created, checklist) = with_store!(&app.store, s => {
        let created = s.create_application(&new, "applicant").await?;
        let list = checklist(s, &p, &created).await?;
        (created, list)
    });
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
        let checklist = checklist(s, &p, &a).await?;
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

// ----------------------------------------------------------------------------------------
// Documents

#[derive(Serialize, ToSchema)]
pub struct UploadedDocument {
    pub document_id: i64,
    pub kind: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

/// Uploads a document of the checklist (multipart: `kind`, `file`). The type is decided by
/// content; images are re-encoded without metadata; active PDFs and archives are refused.
#[utoipa::path(post, path = "/api/v1/applications/{number}/documents", tag = "applicant",
    params(("number" = String, Path)), security(("access_code" = [])),
    request_body(content_type = "multipart/form-data", description = "`kind`: a checklist document id; `file`: the document"),
    responses((status = 201, body = UploadedDocument), (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(app): State<App>,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
    mut multipart: Multipart,
) -> ApiResult<(StatusCode, Json<UploadedDocument>)> {
    let p = app.policy();
    let case = with_store!(&app.store, s => applicant_case(s, &number, code.as_deref()).await?);
    if !tirkeu_core::case::accepts_documents(case.state) {
        return Err(ApiError::conflict("upload.not_now")
            .with("state", case.state)
            .in_language(case.language));
    }
    let mut kind: Option<String> = None;
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request("upload.multipart").with("detail", e))?
    {
        match field.name() {
            Some("kind") => {
                kind =
                    Some(field.text().await.map_err(|e| {
                        ApiError::bad_request("upload.multipart").with("detail", e)
                    })?);
            }
            Some("file") => {
                let bytes = field.bytes().await.map_err(|e| {
                    ApiError::payload_too_large("upload.body_too_large").with("detail", e)
                })?;
                file = Some(bytes.to_vec());
            }
            Some(other) => {
                return Err(ApiError::field(FieldProblem::new(
                    other,
                    "upload.unexpected_field",
                )));
            }
            None => return Err(ApiError::bad_request("upload.unnamed_field")),
        }
    }
    let kind = kind.ok_or_else(|| ApiError::field(FieldProblem::new("kind", "field.required")))?;
    let file = file.ok_or_else(|| ApiError::field(FieldProblem::new("file", "field.required")))?;
    let t = p
        .permit_type(&case.permit_type)
        .ok_or_else(|| ApiError::internal(&"unknown permit type"))?;
    if !t.documents.iter().any(|c| c.id == kind) {
        let ids: Vec<_> = t.documents.iter().map(|c| c.id.as_str()).collect();
        return Err(ApiError::field(
            FieldProblem::new("kind", "document.not_in_checklist")
                .with("value", &kind)
                .with("known", ids.join(", ")),
        ));
    }
    let doc = p
        .document(&kind)
        .ok_or_else(|| ApiError::internal(&"checklist names an unknown document"))?;
    let allowed: Vec<&str> = doc.content_types.iter().map(String::as_str).collect();
    let allowed = allowed_owned(&allowed);
    let limits = Limits {
        max_bytes: usize::try_from(doc.max_size_mb).unwrap_or(50) * 1024 * 1024,
        max_pixels: 40_000_000,
        max_alloc: 256 * 1024 * 1024,
    };
    let sanitized = tokio::task::spawn_blocking(move || upload::sanitize(&file, &allowed, &limits))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| match e {
            upload::UploadError::TooLarge { size, max } => {
                ApiError::payload_too_large("upload.too_large")
                    .with("size", size)
                    .with("max", max)
            }
            other => ApiError::field(other.problem("file")),
        })?;
    app.documents
        .put(&sanitized)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let created = with_store!(&app.store, s => {
        s.add_document(
            &NewDocument {
                application_id: case.id,
                kind: kind.clone(),
                sha256: sanitized.sha256.clone(),
                size: i64::try_from(sanitized.bytes.len()).unwrap_or(i64::MAX),
                content_type: sanitized.content_type.to_owned(),
                created_at: app.now(),
            },
            &format!("applicant:{}", case.id),
        )
        .await?
    });
    Ok((StatusCode::CREATED, Json(uploaded(&created))))
}

fn allowed_owned(allowed: &[&str]) -> Vec<&'static str> {
    tirkeu_core::policy::ALLOWED_CONTENT_TYPES
        .iter()
        .copied()
        .filter(|c| allowed.contains(c))
        .collect()
}

fn uploaded(d: &Document) -> UploadedDocument {
    UploadedDocument {
        document_id: d.id,
        kind: d.kind.clone(),
        sha256: d.sha256.clone(),
        size: d.size,
        content_type: d.content_type.clone(),
    }
}

// ----------------------------------------------------------------------------------------
// Applicant actions: submit, withdraw, respond

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    pub number: String,
    pub status: String,
    pub receipt_url: Option<String>,
}

/// Runs an applicant action through the lifecycle and the store.
async fn applicant_action<S: Store>(
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
    let facts = CaseFacts {
        state: case.state,
        permit_type: &case.permit_type,
        language: case.language,
        uploaded: &uploaded,
    };
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

// ----------------------------------------------------------------------------------------
// Receipts

/// The receipt's contents. The access code is printed as the applicant presented it (it has
/// just been checked against the stored hash), so the paper they keep has both halves.
async fn receipt_data<S: Store>(
    app: &App,
    s: &S,
    number: &str,
    code: Option<&str>,
) -> ApiResult<ReceiptData> {
    let a = &applicant_case(s, number, code).await?;
    if a.state == CaseState::Draft {
        return Err(ApiError::conflict("receipt.not_yet").in_language(a.language));
    }
    let p = app.policy();
    let lang = a.language;
    let docs = s.documents(a.id).await?;
    let t = p.permit_type(&a.permit_type);
    let mut names: Vec<String> = Vec::new();
    for d in &docs {
        let name = p
            .document(&d.kind)
            .map_or_else(|| d.kind.clone(), |x| x.name.get(lang).to_owned());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let tz = p.time_zone().clone();
    Ok(ReceiptData {
        lang,
        number: a.number.to_string(),
        access_code: code.map(|c| c.trim().to_uppercase()),
        applicant_name: format!("{} {}", a.applicant.surname, a.applicant.given_names)
            .trim()
            .to_owned(),
        permit_type_name: t.map_or_else(|| a.permit_type.clone(), |t| t.name.get(lang).to_owned()),
        submitted_on: a
            .submitted_at
            .unwrap_or(a.created_at)
            .to_zoned_datetime(tz.clone())
            .date()
            .to_string(),
        documents: names,
        next_steps: texts::receipt_steps(lang),
        processing_days: t.map_or(0, |t| t.processing_days),
        office: office_name(&p, &a.office, lang),
        status_url: crate::paths::status_page_url(
            &app.config.public_url,
            lang,
            &a.number.compact(),
        ),
        generated_at: app
            .now()
            .to_zoned_datetime(tz)
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
    })
}

/// The acknowledgement notice as a PDF (fonts embedded; in the application's language).
#[utoipa::path(get, path = "/api/v1/applications/{number}/receipt.pdf", tag = "applicant", params(("number" = String, Path)), security(("access_code" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn receipt_pdf(
    State(app): State<App>,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
) -> ApiResult<Response> {
    let data = with_store!(&app.store, s => {
        receipt_data(&app, s, &number, code.as_deref()).await?
    });
    let pdf = tokio::task::spawn_blocking(move || receipt::receipt_pdf(&data))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"receipt.pdf\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        pdf,
    )
        .into_response())
}

/// The acknowledgement notice as a printable HTML page.
#[utoipa::path(get, path = "/api/v1/applications/{number}/receipt.html", tag = "applicant", params(("number" = String, Path)), security(("access_code" = [])),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
pub async fn receipt_html(
    State(app): State<App>,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
) -> ApiResult<Response> {
    let data = with_store!(&app.store, s => {
        receipt_data(&app, s, &number, code.as_deref()).await?
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        receipt::receipt_html(&data),
    )
        .into_response())
}

// ----------------------------------------------------------------------------------------
// Status lookup

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub number: String,
    pub passport_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatusResponse {
    pub number: String,
    pub status: String,
    pub updated_at: String,
    pub next_step: String,
}

/// The status of an application by its number and the passport number. An unknown number and
/// a wrong passport get the same 404; lookups are limited per client and per number.
#[utoipa::path(post, path = "/api/v1/status", tag = "applicant", request_body = StatusRequest,
    responses((status = 200, body = StatusResponse), (status = 404, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn status(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> ApiResult<Json<StatusResponse>> {
    let number = CaseNumber::parse(&req.number).ok();
    let key = number.map_or_else(|| req.number.trim().to_uppercase(), |n| n.compact());
    app.limits.status(peer.ip(), &key)?;
    let Some(number) = number else {
        return Err(ApiError::not_found());
    };
    with_store!(&app.store, s => {
        let row = match s.status_by_number(&number).await {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(ApiError::not_found()),
            Err(e) => return Err(e.into()),
        };
        // The stored keyed hash against the hash of the number given: one HMAC, constant-time.
        if !secrets::same(&s.passport_lookup(&req.passport_number), &row.passport_lookup) {
            return Err(ApiError::not_found());
        }
        Ok(Json(StatusResponse {
            number: number.to_string(),
            status: row.state.to_string(),
            updated_at: row.updated_at.to_string(),
            next_step: texts::next_step(row.state, row.language).to_owned(),
        }))
    })
}
