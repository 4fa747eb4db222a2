//! Whether a card is needed, which types fit, their checklists and deadlines.

use axum::Json;
use axum::extract::State;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tirkeu_core::person::Nationality;
use tirkeu_core::policy::{Policy, StayAssessment};
use tirkeu_core::stay::Stay;
use tirkeu_core::text::Lang;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem, collect};
use crate::state::App;

use super::{known_permit_type, parse_date, parse_lang};

/// A stay of the foreigner: entry and exit dates (exit absent while the stay goes on).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayInput {
    #[schema(format = Date)]
    pub entry: String,
    #[schema(format = Date)]
    pub exit: Option<String>,
}

/// The codes a nationality may be (upper case as the passport prints them; the server also
/// takes them in lower case): the schema lists them, so that a client knows before asking.
pub(crate) fn nationality_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "ISO 3166-1 alpha-3 or one of ICAO's additions (`UNO`, `XXA`, …), e.g. `DEU`.",
        ))
        .enum_values(Some(Nationality::all().map(|n| n.as_str())))
        .build()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRequest {
    /// ISO 3166-1 alpha-3 or one of ICAO's additions (`UNO`, `XXA`, …), e.g. `DEU`.
    #[schema(schema_with = nationality_schema)]
    pub nationality: String,
    /// A card type id (`work`, `study`, …) to narrow the answer.
    pub purpose: Option<String>,
    /// Past and current stays.
    #[serde(default)]
    pub stays: Vec<StayInput>,
    /// The control date (default: today in Asia/Almaty).
    #[schema(format = Date)]
    pub on: Option<String>,
    /// The planned departure date.
    #[schema(format = Date)]
    pub planned_until: Option<String>,
    /// `kk`, `ru`, `en` or `zh`, in any case, with a region if wanted (`ru-KZ`); default `en`.
    #[schema(pattern = "^([Kk][Kk]|[Rr][Uu]|[Ee][Nn]|[Zz][Hh])([-_][\\s\\S]*)?$")]
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
    answer(&app.policy(), app.today(), &req).map(Json)
}

/// The eligibility answer every door gives (the API and the web page): the stay under the
/// nationality's rule, whether a card is needed, the card types that fit with their
/// checklists in the request's language, and the arrival-notification rule. Problems name
/// the request's fields (`nationality`, `stays[0].entry`, `planned_until`, `purpose`).
pub fn answer(p: &Policy, today: Date, req: &EligibilityRequest) -> ApiResult<EligibilityResponse> {
    let mut errors = Vec::new();
    let lang = parse_lang("language", req.language.as_deref(), &mut errors);
    let on = match &req.on {
        Some(s) => parse_date("on", s, &mut errors),
        None => Some(today),
    };
    let until = req
        .planned_until
        .as_deref()
        .and_then(|s| parse_date("planned_until", s, &mut errors));
    let nat = collect(
        Nationality::parse_as("nationality", &req.nationality),
        &mut errors,
    );
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
        errors.push(known_permit_type(p, "purpose", purpose));
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
        .map(|t| card_type_answer(p, t, lang, on))
        .collect();
    Ok(EligibilityResponse {
        needs_card: stay.report.needs_card,
        stay,
        card_types,
        arrival_notification_rule: p.doc().arrival_notification.deadline.to_string(),
    })
}
