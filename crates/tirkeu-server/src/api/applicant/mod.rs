//! The applicant's side: eligibility, applications, documents, submission, receipts, status.
//!
//! Applicants have no account: creating an application returns its number and an access
//! code (≥ 128 random bits, stored only as a hash), which later requests send as
//! `Authorization: Bearer <access code>`.

use jiff::civil::Date;
use tirkeu_core::person::{self, ApplicantFields};
use tirkeu_core::policy::Policy;
use tirkeu_core::problem;
use tirkeu_core::text::Lang;
use tirkeu_store::{Applicant, Application, Store};

use crate::error::{ApiResult, FieldProblem, collect};

mod applications;
mod documents;
mod eligibility;
mod receipts;
mod status;

pub use applications::*;
pub use documents::*;
pub use eligibility::*;
pub use receipts::*;
pub use status::*;

fn parse_date(field: &str, s: &str, errors: &mut Vec<FieldProblem>) -> Option<Date> {
    collect(problem::parse_date(field, s), errors)
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

/// The checklist of `a`'s card type with each document's name in `lang` and whether one of
/// that kind is uploaded.
pub async fn checklist<S: Store>(
    s: &S,
    p: &Policy,
    a: &Application,
    lang: Lang,
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
                .map_or_else(|| c.id.clone(), |d| d.name.get(lang).to_owned()),
            required: c.required,
            uploaded: docs.iter().any(|d| d.kind == c.id),
        })
        .collect())
}
