//! The applicant's draft, kept in a private (encrypted and signed) cookie: the answers so far
//! before the draft exists in the store, and then its number and access code, so a reload,
//! a lost connection or a closed tab keeps the application.
//!
//! Why a cookie and not a server-side session: applicants have no account, app servers are
//! stateless, and the cookie key is shared by every instance (`ServerConfig::cookie_key`),
//! so any instance reads it. It stays small (no documents, no free text beyond the form's
//! answers).

use axum_extra::extract::PrivateCookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use tirkeu_store::Application;

use crate::api::applicant::{AddressInput, ApplicantInput, ContactInput, CreateApplicationRequest};
use crate::state::App;

/// The cookie's name.
pub const DRAFT_COOKIE: &str = "tirkeu_draft";

/// The applicant as answered on the passport page: the zone, or the fields typed (dates as
/// `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<String>,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub passport_number: String,
    #[serde(default)]
    pub nationality: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub passport_expiry: String,
}

impl Identity {
    /// The answers as the API's request reads an applicant.
    pub fn input(&self) -> ApplicantInput {
        let some = |s: &str| Some(s.to_owned());
        match &self.mrz {
            Some(m) => ApplicantInput {
                mrz: Some(m.clone()),
                ..ApplicantInput::default()
            },
            None => ApplicantInput {
                mrz: None,
                surname: some(&self.surname),
                given_names: some(&self.given_names),
                passport_number: some(&self.passport_number),
                nationality: some(&self.nationality),
                birth_date: some(&self.birth_date),
                sex: some(&self.sex),
                passport_expiry: some(&self.passport_expiry),
            },
        }
    }
}

/// Contact details and the address in Kazakhstan.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Contact {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub line: String,
}

/// What the cookie holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Draft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Once the draft is stored: its number and access code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Draft {
    /// The draft in the request's cookie (an empty one without, or with one that does not
    /// decrypt or parse).
    pub fn read(jar: &PrivateCookieJar) -> Draft {
        jar.get(DRAFT_COOKIE)
            .and_then(|c| serde_json::from_str(c.value()).ok())
            .unwrap_or_default()
    }

    /// The jar with this draft saved.
    pub fn save(&self, app: &App, jar: PrivateCookieJar) -> PrivateCookieJar {
        let value = serde_json::to_string(self).unwrap_or_default();
        jar.add(cookie(app, value))
    }

    /// The jar without a draft.
    pub fn clear(app: &App, jar: PrivateCookieJar) -> PrivateCookieJar {
        jar.remove(cookie(app, String::new()))
    }

    /// The answers of a new application for the same card as `a` (a renewal): its card type,
    /// the passport details typed as they are stored, the contact details and the address;
    /// not stored yet.
    pub fn renewal_of(a: &Application) -> Draft {
        let p = &a.applicant;
        Draft {
            permit_type: Some(a.permit_type.clone()),
            identity: Some(Identity {
                mrz: None,
                surname: p.surname.clone(),
                given_names: p.given_names.clone(),
                passport_number: p.passport_number.clone(),
                nationality: p.nationality.clone(),
                birth_date: p.birth_date.to_string(),
                sex: p.sex.clone(),
                passport_expiry: p.passport_expiry.to_string(),
            }),
            contact: Some(Contact {
                email: a.email.clone().unwrap_or_default(),
                phone: a.phone.clone().unwrap_or_default(),
                city: a.address_city.clone(),
                line: a.address_line.clone(),
            }),
            number: None,
            code: None,
        }
    }

    /// The stored application's number and access code, if the draft is stored.
    pub fn stored(&self) -> Option<(&str, &str)> {
        self.number.as_deref().zip(self.code.as_deref())
    }

    /// The API's creation request for these answers, in `lang`.
    pub fn request(&self, lang: &str) -> CreateApplicationRequest {
        let contact = self.contact.clone().unwrap_or_default();
        let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        CreateApplicationRequest {
            permit_type: self.permit_type.clone().unwrap_or_default(),
            language: Some(lang.to_owned()),
            applicant: self.identity.clone().unwrap_or_default().input(),
            contact: ContactInput {
                email: opt(&contact.email),
                phone: opt(&contact.phone),
            },
            address: AddressInput {
                city: contact.city,
                line: contact.line,
            },
            arrival_date: None,
        }
    }
}

fn cookie(app: &App, value: String) -> Cookie<'static> {
    Cookie::build((DRAFT_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(app.config.public_url.starts_with("https://"))
        .build()
}
