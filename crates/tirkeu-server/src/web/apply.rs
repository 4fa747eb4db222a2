//! Applying for a card, one question per page (the GOV.UK question-page pattern): card type →
//! passport (the machine-readable zone pasted, or the fields typed) → contact and address,
//! where the draft is created in the store exactly as `POST /api/v1/applications` creates it
//! → documents, uploaded one at a time through the API's upload path → check your answers →
//! submit through `case::decide` → confirmation with the number, the access code, the QR code
//! and the receipt.
//!
//! The answers before the draft exists, and then its number and access code, live in the
//! private draft cookie ([`super::draft`]). Answers stored with the draft cannot be edited in
//! the store; "Change" for them withdraws the draft (the applicant's own `withdraw`) and
//! starts a new one from the kept answers, after saying so on a page of its own.
//!
//! A renewal ([`super::renew`]) makes its draft from the previous case's answers the same way
//! and comes in at the documents.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::PrivateCookieJar;
use serde::Deserialize;
use tirkeu_core::lifecycle::{Action, State as CaseState};
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;
use tirkeu_store::{Application, Document, Store, with_store};

use super::draft::{Contact, Draft, Identity};
use super::forms::{DateParts, Fields, problems_of};
use super::{Choice, Page, PageLang, card_type_choices, render, see_other, status_for};
use crate::api::applicant::{
    ChecklistStatus, add_document, applicant_action, checklist, create_draft, read_applicant,
    read_upload, receipt_pdf_bytes,
};
use crate::auth::applicant_case;
use crate::edge::ClientAddr;
use crate::error::ApiError;
use crate::routing::{Router, get, post};
use crate::state::App;
use crate::{i18n, receipt, texts};

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/apply", get(start))
        .route("/{lang}/apply/type", get(type_form).post(type_save))
        .route(
            "/{lang}/apply/passport",
            get(passport_form).post(passport_save),
        )
        .route(
            "/{lang}/apply/contact",
            get(contact_form).post(contact_save),
        )
        .route(
            "/{lang}/apply/documents",
            get(documents_page)
                .post(documents_upload)
                .layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT))
                .layer(axum::middleware::from_fn(crate::close_after_refusal)),
        )
        .route("/{lang}/apply/check", get(check_page))
        .route("/{lang}/apply/submit", post(submit))
        .route("/{lang}/apply/confirmation", get(confirmation))
        .route("/{lang}/apply/receipt.pdf", get(receipt_pdf))
        .route("/{lang}/apply/restart", get(restart_page).post(restart))
}

// ---------------------------------------------------------------------------------------------
// Shared with "my application"
// ---------------------------------------------------------------------------------------------

/// The stored application of the draft cookie, opened with its access code as the API opens
/// it; `None` without a stored draft, or when the code no longer opens it.
pub async fn stored_case(app: &App, draft: &Draft) -> Result<Option<Application>, ApiError> {
    let Some((number, code)) = draft.stored() else {
        return Ok(None);
    };
    let found = with_store!(&app.store, s => applicant_case(s, number, Some(code)).await);
    match found {
        Ok(a) => Ok(Some(a)),
        Err(e) if e.status == StatusCode::NOT_FOUND => Ok(None),
        Err(e) => Err(e),
    }
}

/// The documents of `a` and its checklist, with names in `lang`.
pub async fn documents_of(
    app: &App,
    a: &Application,
    lang: Lang,
) -> Result<(Vec<ChecklistStatus>, Vec<Document>), ApiError> {
    let p = app.policy();
    with_store!(&app.store, s => {
        let list = checklist(s, &p, a, lang).await?;
        let docs = s.documents(a.id).await?;
        Ok((list, docs))
    })
}

/// An uploaded document as listed: the document's name and the file's type and size.
pub struct Uploaded {
    pub name: String,
    pub detail: String,
}

pub fn uploaded_list(app: &App, docs: &[Document], lang: Lang) -> Vec<Uploaded> {
    let p = app.policy();
    docs.iter()
        .map(|d| Uploaded {
            name: p
                .document(&d.kind)
                .map_or_else(|| d.kind.clone(), |x| x.name.get(lang).to_owned()),
            detail: i18n::text_with(
                lang,
                "apply-uploaded-detail",
                &[
                    ("type", d.content_type.clone()),
                    ("kb", ((d.size + 1023) / 1024).to_string()),
                ],
            ),
        })
        .collect()
}

/// The kinds a document may be uploaded as, for the upload form's select.
pub fn kinds(list: &[ChecklistStatus]) -> Vec<Choice> {
    list.iter()
        .map(|c| Choice {
            value: c.document.clone(),
            label: c.name.clone(),
            hint: String::new(),
        })
        .collect()
}

/// Takes an uploaded document for `case` through the API's upload path; the caller shows
/// the error's problems (`forms::problems_of`) on its form.
pub async fn upload_for(
    app: &App,
    case: &Application,
    multipart: Multipart,
) -> Result<(), ApiError> {
    if !tirkeu_core::case::accepts_documents(case.state) {
        return Err(ApiError::conflict("upload.not_now").with("state", case.state));
    }
    let (kind, file) = read_upload(app, case, multipart).await?;
    add_document(app, case, kind, file).await.map(|_| ())
}

/// Problems of an applicant action shown on a page: a missing document is named in the
/// page's language rather than by its id.
pub fn action_problems(
    app: &App,
    e: &ApiError,
    field: &str,
    lang: Lang,
) -> Option<Vec<FieldProblem>> {
    let p = app.policy();
    problems_of(e, field).map(|list| {
        list.into_iter()
            .map(|mut pr| {
                if pr.code == "document.missing" {
                    for (k, v) in &mut pr.params {
                        if *k == "document"
                            && let Some(d) = p.document(v)
                        {
                            *v = d.name.get(lang).to_owned();
                        }
                    }
                }
                pr
            })
            .collect()
    })
}

fn with_jar(jar: PrivateCookieJar, res: Response) -> Response {
    (jar, res).into_response()
}

/// Where a draft made from kept answers goes when the rules no longer accept some of them (a
/// renewal whose passport has expired since): the first question page they name — the card
/// type, the passport, else contact and address — showing the problems, with `draft`'s
/// answers kept in the cookie to be corrected there, after which the flow goes on as usual.
pub fn answers_refused(
    app: &App,
    lang: Lang,
    jar: PrivateCookieJar,
    draft: &Draft,
    problems: &[FieldProblem],
) -> Response {
    let jar = draft.save(app, jar);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let res = if problems.iter().any(|p| p.field == "permit_type") {
        let mut page = Page::new(lang, "/apply/type", "apply-type-title");
        let message = page.t("apply-type-required");
        page.add_error("permit_type", message);
        render(
            status,
            &TypeForm {
                page,
                types: card_type_choices(&app.policy(), lang),
                selected: String::new(),
            },
        )
    } else if problems.iter().any(|p| p.field.starts_with("applicant.")) {
        let applicant: Vec<FieldProblem> = problems
            .iter()
            .filter(|p| p.field.starts_with("applicant."))
            .cloned()
            .collect();
        let mut form = passport_page(lang, true, draft.identity.clone().unwrap_or_default());
        form.page = passport_problems(form.page, &applicant);
        render(status, &form)
    } else {
        render(
            status,
            &ContactForm {
                page: Page::new(lang, "/apply/contact", "apply-contact-title")
                    .with_problems(problems),
                c: draft.contact.clone().unwrap_or_default(),
            },
        )
    };
    with_jar(jar, res)
}

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_start.html")]
struct Start {
    page: Page,
    /// The number of an application kept on this device.
    kept: Option<String>,
}

async fn start(PageLang(lang): PageLang, jar: PrivateCookieJar) -> Response {
    let draft = Draft::read(&jar);
    render(
        StatusCode::OK,
        &Start {
            page: Page::new(lang, "/apply", "apply-title"),
            kept: draft.number.clone(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Card type
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_type.html")]
struct TypeForm {
    page: Page,
    types: Vec<Choice>,
    selected: String,
}

async fn type_form(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    let Some(draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    render(
        StatusCode::OK,
        &TypeForm {
            page: Page::new(lang, "/apply/type", "apply-type-title"),
            types: card_type_choices(&app.policy(), lang),
            selected: draft.permit_type.unwrap_or_default(),
        },
    )
}

async fn type_save(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(mut draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    let chosen = f.get("permit_type");
    if app.policy().permit_type(chosen).is_none() {
        let mut page = Page::new(lang, "/apply/type", "apply-type-title");
        let message = page.t("apply-type-required");
        page.add_error("permit_type", message);
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &TypeForm {
                page,
                types: card_type_choices(&app.policy(), lang),
                selected: String::new(),
            },
        );
    }
    draft.permit_type = Some(chosen.to_owned());
    with_jar(draft.save(&app, jar), see_other(lang, "/apply/passport"))
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_passport.html")]
struct PassportForm {
    page: Page,
    /// Typing the fields rather than pasting the zone.
    by_fields: bool,
    p: Identity,
    birth: DateParts,
    expiry: DateParts,
    sexes: Vec<Choice>,
}

fn sexes(lang: Lang) -> Vec<Choice> {
    ["F", "M", "X"]
        .into_iter()
        .map(|v| Choice {
            value: v.to_owned(),
            label: i18n::text(lang, &format!("apply-sex-{}", v.to_lowercase())),
            hint: String::new(),
        })
        .collect()
}

fn passport_page(lang: Lang, by_fields: bool, p: Identity) -> PassportForm {
    PassportForm {
        page: Page::new(
            lang,
            if by_fields {
                "/apply/passport?by=fields"
            } else {
                "/apply/passport"
            },
            "apply-passport-title",
        ),
        by_fields,
        birth: DateParts::from_iso(&p.birth_date),
        expiry: DateParts::from_iso(&p.passport_expiry),
        p,
        sexes: sexes(lang),
    }
}

#[derive(Deserialize)]
struct By {
    by: Option<String>,
}

async fn passport_form(
    PageLang(lang): PageLang,
    jar: PrivateCookieJar,
    Query(q): Query<By>,
) -> Response {
    let Some(draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    if draft.permit_type.is_none() {
        return see_other(lang, "/apply/type");
    }
    let p = draft.identity.unwrap_or_default();
    let by_fields = match q.by.as_deref() {
        Some("fields") => true,
        Some(_) => false,
        None => p.mrz.is_none() && !p.surname.is_empty(),
    };
    render(StatusCode::OK, &passport_page(lang, by_fields, p))
}

/// Shows `problems` on the passport page; problems inside the zone are shown at the zone's
/// box, each naming the part of the zone at fault ("Date of birth: the check digit is …").
fn passport_problems(mut page: Page, problems: &[FieldProblem]) -> Page {
    for p in problems {
        let message = i18n::problem(page.lang, p);
        match p.field.strip_prefix("applicant.mrz") {
            Some(rest) => {
                let part_id = format!("apply-mrz-part-{}", rest.trim_start_matches('.'));
                let message = if rest.is_empty() || !i18n::has(&part_id) {
                    message
                } else {
                    i18n::text_with(
                        page.lang,
                        "apply-mrz-problem",
                        &[("part", page.t(&part_id)), ("problem", message)],
                    )
                };
                page.add_error("applicant.mrz", message);
            }
            None => page.add_error(&p.field, message),
        }
    }
    page
}

async fn passport_save(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(mut draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    let by_fields = f.get("how") == "fields";
    let answers = if by_fields {
        Identity {
            mrz: None,
            surname: f.get("applicant.surname").to_owned(),
            given_names: f.get("applicant.given_names").to_owned(),
            passport_number: f.get("applicant.passport_number").to_owned(),
            nationality: f.get("applicant.nationality").to_owned(),
            birth_date: f.date("applicant.birth_date").iso().unwrap_or_default(),
            sex: f.get("applicant.sex").to_owned(),
            passport_expiry: f
                .date("applicant.passport_expiry")
                .iso()
                .unwrap_or_default(),
        }
    } else {
        Identity {
            // The zone's lines as pasted, whatever the line breaks.
            mrz: Some(
                f.get("applicant.mrz")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ..Identity::default()
        }
    };
    let mut problems = Vec::new();
    read_applicant(&answers.input(), "applicant", app.today(), &mut problems);
    if !problems.is_empty() {
        let mut form = passport_page(lang, by_fields, answers);
        // Keep the dates as typed, not as they were read.
        form.birth = f.date("applicant.birth_date");
        form.expiry = f.date("applicant.passport_expiry");
        form.page = passport_problems(form.page, &problems);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &form);
    }
    draft.identity = Some(answers);
    with_jar(draft.save(&app, jar), see_other(lang, "/apply/contact"))
}

// ---------------------------------------------------------------------------------------------
// Contact and address; the draft is created here
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_contact.html")]
struct ContactForm {
    page: Page,
    c: Contact,
}

async fn contact_form(PageLang(lang): PageLang, jar: PrivateCookieJar) -> Response {
    let Some(draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    if draft.identity.is_none() {
        return see_other(lang, "/apply/passport");
    }
    render(
        StatusCode::OK,
        &ContactForm {
            page: Page::new(lang, "/apply/contact", "apply-contact-title"),
            c: draft.contact.unwrap_or_default(),
        },
    )
}

async fn contact_save(
    PageLang(lang): PageLang,
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    jar: PrivateCookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(mut draft) = unsaved(&jar) else {
        return see_other(lang, "/apply/restart");
    };
    if draft.identity.is_none() {
        return see_other(lang, "/apply/passport");
    }
    draft.contact = Some(Contact {
        email: f.get("contact.email").to_owned(),
        phone: f.get("contact.phone").to_owned(),
        city: f.get("address.city").to_owned(),
        line: f.get("address.line").to_owned(),
    });
    match create_draft(&app, client, &draft.request(lang.code())).await {
        Ok((created, code)) => {
            draft.number = Some(created.number.to_string());
            draft.code = Some(code);
            with_jar(draft.save(&app, jar), see_other(lang, "/apply/documents"))
        }
        Err(e) => match problems_of(&e, "contact.email") {
            Some(problems) => {
                // Earlier pages' answers were checked there; anything else is this page's.
                let page = Page::new(lang, "/apply/contact", "apply-contact-title")
                    .with_problems(&problems);
                let mut res = render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &ContactForm {
                        page,
                        c: draft.contact.clone().unwrap_or_default(),
                    },
                );
                if e.status == StatusCode::TOO_MANY_REQUESTS {
                    // Too many applications from this client: the page says when to try again.
                    *res.status_mut() = e.status;
                    for (name, value) in &e.headers {
                        if let Ok(v) = value.parse() {
                            res.headers_mut().insert(name.clone(), v);
                        }
                    }
                }
                with_jar(draft.save(&app, jar), res)
            }
            None => e.into_response(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_documents.html")]
struct DocumentsPage {
    page: Page,
    checklist: Vec<ChecklistStatus>,
    uploaded: Vec<Uploaded>,
    kinds: Vec<Choice>,
    action: String,
}

async fn documents_view(
    app: &App,
    lang: Lang,
    case: &Application,
    problems: &[FieldProblem],
) -> Response {
    let (list, docs) = match documents_of(app, case, lang).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let status = status_for(problems);
    render(
        status,
        &DocumentsPage {
            page: Page::new(lang, "/apply/documents", "apply-documents-title")
                .with_problems(problems),
            uploaded: uploaded_list(app, &docs, lang),
            kinds: kinds(&list),
            checklist: list,
            action: format!("/{}/apply/documents", lang.code()),
        },
    )
}

async fn documents_page(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    match stored_case(&app, &Draft::read(&jar)).await {
        Ok(Some(case)) if case.state == CaseState::Draft => {
            documents_view(&app, lang, &case, &[]).await
        }
        Ok(Some(_)) => see_other(lang, "/apply/confirmation"),
        Ok(None) => see_other(lang, "/apply/contact"),
        Err(e) => e.into_response(),
    }
}

async fn documents_upload(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
    multipart: Multipart,
) -> Response {
    let case = match stored_case(&app, &Draft::read(&jar)).await {
        Ok(Some(case)) => case,
        Ok(None) => return see_other(lang, "/apply/contact"),
        Err(e) => return e.into_response(),
    };
    match upload_for(&app, &case, multipart).await {
        Ok(()) => see_other(lang, "/apply/documents"),
        Err(e) => match problems_of(&e, "file") {
            Some(problems) => documents_view(&app, lang, &case, &problems).await,
            None => e.into_response(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Check your answers, submit, confirmation
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_check.html")]
struct CheckPage {
    page: Page,
    a: Application,
    type_name: String,
    sex: String,
    uploaded: Vec<Uploaded>,
}

async fn check_view(app: &App, lang: Lang, a: Application, problems: &[FieldProblem]) -> Response {
    let (_, docs) = match documents_of(app, &a, lang).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let p = app.policy();
    let status = status_for(problems);
    render(
        status,
        &CheckPage {
            page: Page::new(lang, "/apply/check", "apply-check-title").with_problems(problems),
            type_name: p
                .permit_type(&a.permit_type)
                .map_or_else(|| a.permit_type.clone(), |t| t.name.get(lang).to_owned()),
            sex: i18n::text(
                lang,
                &format!("apply-sex-{}", a.applicant.sex.to_lowercase()),
            ),
            uploaded: uploaded_list(app, &docs, lang),
            a,
        },
    )
}

async fn check_page(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    match stored_case(&app, &Draft::read(&jar)).await {
        Ok(Some(a)) if a.state == CaseState::Draft => check_view(&app, lang, a, &[]).await,
        Ok(Some(_)) => see_other(lang, "/apply/confirmation"),
        Ok(None) => see_other(lang, "/apply/contact"),
        Err(e) => e.into_response(),
    }
}

async fn submit(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    let draft = Draft::read(&jar);
    let Some((number, code)) = draft.stored() else {
        return see_other(lang, "/apply/contact");
    };
    let done = with_store!(&app.store, s => applicant_action(&app, s, number, Some(code), Action::Submit).await);
    match done {
        Ok(_) => see_other(lang, "/apply/confirmation"),
        Err(e) => match action_problems(&app, &e, "documents", lang) {
            Some(problems) => match stored_case(&app, &draft).await {
                Ok(Some(a)) => check_view(&app, lang, a, &problems).await,
                Ok(None) => see_other(lang, "/apply/contact"),
                Err(e) => e.into_response(),
            },
            None => e.into_response(),
        },
    }
}

#[derive(Template)]
#[template(path = "applicant/apply_confirmation.html")]
struct Confirmation {
    page: Page,
    number: String,
    code: String,
    qr: String,
    next_step: String,
    steps: Vec<String>,
}

async fn confirmation(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    let draft = Draft::read(&jar);
    let a = match stored_case(&app, &draft).await {
        Ok(Some(a)) => a,
        Ok(None) => return see_other(lang, "/apply"),
        Err(e) => return e.into_response(),
    };
    if a.state == CaseState::Draft {
        return see_other(lang, "/apply/check");
    }
    let url = crate::paths::status_page_url(&app.config.public_url, lang, &a.number.compact());
    render(
        StatusCode::OK,
        &Confirmation {
            page: Page::new(lang, "/apply/confirmation", "apply-done-title"),
            number: a.number.to_string(),
            code: draft.code.clone().unwrap_or_default(),
            qr: receipt::qr_svg(&url),
            next_step: texts::next_step(a.state, lang).to_owned(),
            steps: texts::receipt_steps(lang),
        },
    )
}

/// The receipt PDF for a browser: the access code comes from the draft cookie, not from an
/// `Authorization` header a link cannot send.
pub async fn receipt_pdf(
    PageLang(lang): PageLang,
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    jar: PrivateCookieJar,
) -> Response {
    let draft = Draft::read(&jar);
    let Some((number, code)) = draft.stored() else {
        return see_other(lang, "/application");
    };
    match receipt_pdf_bytes(&app, client, number, Some(code)).await {
        Ok(pdf) => (
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
            .into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => see_other(lang, "/application"),
        Err(e) if e.status == StatusCode::CONFLICT => see_other(lang, "/apply/check"),
        Err(e) => e.into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Changing stored answers, or starting again
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "applicant/apply_restart.html")]
struct RestartPage {
    page: Page,
    number: String,
    /// The kept application is still a draft (changing withdraws it).
    is_draft: bool,
}

async fn restart_page(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    let draft = Draft::read(&jar);
    match stored_case(&app, &draft).await {
        Ok(Some(a)) => render(
            StatusCode::OK,
            &RestartPage {
                page: Page::new(lang, "/apply/restart", "apply-restart-title"),
                number: a.number.to_string(),
                is_draft: a.state == CaseState::Draft,
            },
        ),
        Ok(None) => with_jar(Draft::clear(&app, jar), see_other(lang, "/apply/type")),
        Err(e) => e.into_response(),
    }
}

async fn restart(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    let mut draft = Draft::read(&jar);
    match stored_case(&app, &draft).await {
        Ok(Some(a)) if a.state == CaseState::Draft => {
            let (number, code) = draft.stored().expect("stored");
            let done = with_store!(&app.store, s => applicant_action(&app, s, number, Some(code), Action::Withdraw).await);
            if let Err(e) = done {
                return e.into_response();
            }
            // The answers stay, to be changed; the withdrawn draft is forgotten.
            draft.number = None;
            draft.code = None;
        }
        Ok(_) => draft = Draft::default(),
        Err(e) => return e.into_response(),
    }
    with_jar(draft.save(&app, jar), see_other(lang, "/apply/type"))
}

/// The draft in the cookie while it is only answers; `None` once it is stored, when changing
/// an answer means starting again (the store cannot edit a draft).
fn unsaved(jar: &PrivateCookieJar) -> Option<Draft> {
    let draft = Draft::read(jar);
    draft.stored().is_none().then_some(draft)
}
