//! Documents: uploads, checked by content and sanitised, kept by hash.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use tirkeu_store::{Application, Document, NewDocument, Store, with_store};
use utoipa::ToSchema;

use crate::auth::{AccessCode, applicant_case};
use crate::error::{ApiError, ApiResult, FieldProblem};
use crate::state::App;
use crate::upload::{self, Limits};

#[derive(Serialize, ToSchema)]
pub struct UploadedDocument {
    pub document_id: i64,
    pub kind: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
}

/// The multipart form an upload sends (read field by field by the handler; this describes it:
/// these two fields and no other, as the handler refuses any other).
#[derive(ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// A document id of the application's checklist, e.g. `passport`.
    #[schema(min_length = 1)]
    kind: String,
    /// The document: PDF, JPEG or PNG, decided by content.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads a document of the checklist (multipart: `kind`, `file`). The type is decided by
/// content; images are re-encoded without metadata; active PDFs and archives are refused.
#[utoipa::path(post, path = "/api/v1/applications/{number}/documents", tag = "applicant",
    params(("number" = String, Path)), security(("access_code" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data", description = "`kind`: a checklist document id; `file`: the document"),
    responses((status = 201, body = UploadedDocument), (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(app): State<App>,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<UploadedDocument>)> {
    let case = with_store!(&app.store, s => applicant_case(s, &number, code.as_deref()).await?);
    if !tirkeu_core::case::accepts_documents(case.state) {
        return Err(ApiError::conflict("upload.not_now")
            .with("state", case.state)
            .in_language(case.language));
    }
    let (kind, file) = read_upload(&app, &case, multipart).await?;
    let created = add_document(&app, &case, kind, file).await?;
    Ok((StatusCode::CREATED, Json(uploaded(&created))))
}

/// Reads an upload form (multipart: `kind`, `file`), as the API and the web form send it.
/// A file part without a name and without content (a browser's form with no file chosen)
/// is no file.
///
/// The file is read chunk by chunk and refused (413) as soon as it passes the most its
/// document accepts (or, when the form sends the file before its kind, the most any
/// document of the case's checklist accepts): the rest is never read, so a 40 MiB upload
/// against a 10 MiB limit costs 10 MiB of memory and gets its answer at once, not after
/// the whole body (up to `UPLOAD_LIMIT`) has arrived.
pub async fn read_upload(
    app: &App,
    case: &Application,
    mut multipart: Multipart,
) -> ApiResult<(String, Vec<u8>)> {
    let mut kind: Option<String> = None;
    let mut file: Option<Vec<u8>> = None;
    while let Some(mut field) = multipart
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
                let unnamed = field.file_name().is_none_or(str::is_empty);
                let max = max_file_bytes(app, case, kind.as_deref());
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| {
                    ApiError::payload_too_large("upload.body_too_large").with("detail", e)
                })? {
                    if bytes.len() + chunk.len() > max {
                        return Err(file_too_large(max));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !(unnamed && bytes.is_empty()) {
                    file = Some(bytes);
                }
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
    let kind = kind
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| ApiError::field(FieldProblem::new("kind", "field.required")))?;
    let file = file.ok_or_else(|| ApiError::field(FieldProblem::new("file", "field.required")))?;
    Ok((kind, file))
}

/// 413 for a file over `max` bytes, naming the field.
fn file_too_large(max: usize) -> ApiError {
    let mut e = ApiError::payload_too_large("upload.file_too_large").with("max", max);
    e.errors
        .push(FieldProblem::new("file", "upload.file_too_large").with("max", max));
    e
}

/// The most bytes a document of `kind` may have; `max_size_mb` is at most 50 (policy
/// validation).
fn document_max_bytes(doc: &tirkeu_core::policy::DocumentDoc) -> usize {
    usize::try_from(doc.max_size_mb).unwrap_or(50) * 1024 * 1024
}

/// The most bytes the file may have before its kind is checked: the limit of `kind` when it
/// is in the checklist of `case`'s card type, else the largest limit of that checklist (the
/// kind's own limit, and whether it is in the checklist, are checked once the form is read).
fn max_file_bytes(app: &App, case: &Application, kind: Option<&str>) -> usize {
    let p = app.policy();
    let checklist: Vec<_> = p
        .permit_type(&case.permit_type)
        .map(|t| {
            t.documents
                .iter()
                .filter_map(|c| p.document(&c.id))
                .collect()
        })
        .unwrap_or_default();
    kind.and_then(|k| checklist.iter().find(|d| d.id == k))
        .map(|d| document_max_bytes(d))
        .or_else(|| checklist.iter().map(|d| document_max_bytes(d)).max())
        .unwrap_or(crate::UPLOAD_LIMIT)
}

/// Adds a document of `kind` to `case` as every door does: the kind must be in the card
/// type's checklist, the file is checked by content within the document's limits and
/// sanitised, kept by its hash, and recorded. The caller has opened the case and checked
/// that it accepts documents.
pub async fn add_document(
    app: &App,
    case: &Application,
    kind: String,
    file: Vec<u8>,
) -> ApiResult<Document> {
    let p = app.policy();
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
        max_bytes: document_max_bytes(doc),
        max_pixels: 40_000_000,
        max_alloc: 256 * 1024 * 1024,
    };
    let sanitized = app
        .sanitizing
        .sanitize(file, allowed, limits)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| match e {
            upload::UploadError::TooLarge { max, .. } => file_too_large(max),
            other => ApiError::field(other.problem("file")),
        })?;
    app.documents
        .put(&sanitized)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(with_store!(&app.store, s => {
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
    }))
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
