//! A message's texts: the subject, the plain text and the HTML, in the recipient's language.
//!
//! Each kind is put together here from Fluent messages (`mail-{kind}-…`) into a [`Letter`]:
//! a heading, paragraphs, labelled facts and links. Two askama templates lay the same letter
//! out as plain text and as HTML (inline styles, no images, no scripts: mail clients strip
//! or block the rest), so both parts always say the same thing. Dates and times are shown in
//! the policy's time zone with the month written out, so no reader mistakes the day for the
//! month.

use std::sync::LazyLock;

use askama::Template;
use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};
use tirkeu_core::number::CardNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;

use super::{MailFacts, MailKind};
use crate::i18n;

/// A message ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Which texts and templates made it (see [`template_version`]).
    pub template_version: String,
}

/// The sources that decide what a message says; any change to them changes the version.
const SOURCES: [&str; 7] = [
    include_str!("../../../../locales/kk/mail.ftl"),
    include_str!("../../../../locales/ru/mail.ftl"),
    include_str!("../../../../locales/en/mail.ftl"),
    include_str!("../../../../locales/zh/mail.ftl"),
    include_str!("../../templates/mail/message.html"),
    include_str!("../../templates/mail/message.txt"),
    // What goes into which message is decided here.
    include_str!("render.rs"),
];

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hash = Sha256::new();
    for source in SOURCES {
        // Length-prefixed, so moving text from one file to the next changes the hash too.
        hash.update((source.len() as u64).to_be_bytes());
        hash.update(source.as_bytes());
    }
    hex::encode(hash.finalize())[..12].to_owned()
});

/// The first 12 hex digits of the SHA-256 of the mail texts, templates and this module,
/// stored with each sent message so that what it said can be reproduced.
pub fn template_version() -> &'static str {
    &VERSION
}

/// A labelled fact (`Application number: 7K2M-…`).
pub(super) struct Fact {
    pub label: String,
    pub value: String,
}

pub(super) struct Link {
    pub label: String,
    pub href: String,
}

/// What a message says, before it is laid out as text or HTML.
pub(super) struct Letter {
    pub html_lang: &'static str,
    /// Between a label and its value in the plain text (`: `, or `：` in Chinese).
    pub separator: String,
    pub service: String,
    pub subject: String,
    pub heading: String,
    pub greeting: String,
    pub intro: Vec<String>,
    pub facts: Vec<Fact>,
    pub after: Vec<String>,
    pub links: Vec<Link>,
    pub footer: Vec<String>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlBody<'a> {
    letter: &'a Letter,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextBody<'a> {
    letter: &'a Letter,
}

/// The message `facts` describe, in `facts.lang`; links start with `public_url` (e.g.
/// `https://tirkeu.example.kz`).
pub fn render(policy: &Policy, public_url: &str, facts: &MailFacts) -> Rendered {
    let letter = compose(policy, public_url, facts);
    Rendered {
        html: HtmlBody { letter: &letter }
            .render()
            .expect("the HTML mail template renders"),
        text: TextBody { letter: &letter }
            .render()
            .expect("the text mail template renders"),
        subject: letter.subject,
        template_version: template_version().to_owned(),
    }
}

/// Localising helpers for one message.
struct Words<'a> {
    lang: Lang,
    policy: &'a Policy,
}

impl Words<'_> {
    fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id)
    }

    fn t1(&self, id: &str, name: &str, value: String) -> String {
        i18n::text_with(self.lang, id, &[(name, value)])
    }

    fn date(&self, d: Date) -> String {
        i18n::text_with(
            self.lang,
            "mail-date",
            &[
                ("day", d.day().to_string()),
                ("month", self.t(&format!("mail-month-{}", d.month()))),
                ("year", d.year().to_string()),
            ],
        )
    }

    /// An instant as the authority's local date and time, with its offset and zone.
    fn datetime(&self, t: Timestamp) -> String {
        let local = t.to_zoned_datetime(self.policy.time_zone().clone());
        i18n::text_with(
            self.lang,
            "mail-datetime",
            &[
                ("date", self.date(local.date())),
                ("time", local.strftime("%H:%M").to_string()),
                ("offset", format!("UTC{}", local.strftime("%:z"))),
                ("zone", self.policy.doc().meta.time_zone.clone()),
            ],
        )
    }

    fn permit(&self, id: &str) -> String {
        self.policy
            .permit_type(id)
            .map_or_else(|| id.to_owned(), |p| p.name.get(self.lang).to_owned())
    }

    fn reason(&self, id: &str) -> String {
        self.policy
            .reason(id)
            .map_or_else(|| id.to_owned(), |r| r.name.get(self.lang).to_owned())
    }

    /// A fine as the host pages show it: tenge grouped as the language does, or a warning
    /// when the fine is nothing.
    fn fine(&self, kzt: i64) -> String {
        match kzt {
            0 => self.t("mail-fine-warning"),
            n => self.t1("mail-fine-amount", "amount", i18n::integer(self.lang, n)),
        }
    }
}

fn compose(policy: &Policy, public_url: &str, f: &MailFacts) -> Letter {
    let lang = f.lang;
    let w = Words { lang, policy };
    let kind = f.kind;
    let id = |part: &str| format!("mail-{}-{part}", kind.as_str());
    let heading = w.t(&id("heading"));
    let number = f.case_number.map(|n| n.to_string());
    let guest = f
        .guest_name
        .clone()
        .filter(|g| !g.trim().is_empty())
        .unwrap_or_else(|| w.t("mail-guest-unknown"));
    let subject = match kind {
        MailKind::HostDeadlineApproaching | MailKind::HostDeadlineMissed => {
            w.t1(&id("subject"), "guest", guest)
        }
        MailKind::ExpiryReminder => f.days_left.map_or_else(
            || heading.clone(),
            |d| w.t1(&id("subject"), "days", d.to_string()),
        ),
        _ => number
            .clone()
            .map_or_else(|| heading.clone(), |n| w.t1(&id("subject"), "number", n)),
    };
    let link = |label: &str, path: &str| Link {
        label: w.t(label),
        href: format!(
            "{}/{}/{path}",
            public_url.trim_end_matches('/'),
            lang.code()
        ),
    };
    let status = || link("mail-link-status", "status");

    let mut facts = Vec::new();
    let mut fact = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            facts.push(Fact {
                label: w.t(label),
                value,
            });
        }
    };
    let permit = f.permit_type.as_deref().map(|p| w.permit(p));
    let reason = f.reason.as_deref().map(|r| w.reason(r));
    let office = f.office.as_deref().map(|o| policy.office(o).ok_or(o));
    let office_name = office.map(|o| o.map_or_else(str::to_owned, |o| o.name.get(lang).to_owned()));
    let office_address = office
        .and_then(Result::ok)
        .map(|o| o.address.get(lang).to_owned());
    let valid_until = f.valid_until.map(|d| w.date(d));

    let mut intro = vec![w.t(&id("intro"))];
    let mut after = vec![w.t(&id("next"))];
    let mut links = vec![status()];
    if !kind.to_host() {
        fact("mail-label-number", number.clone());
    }
    match kind {
        MailKind::Receipt => {
            fact("mail-label-permit", permit);
            fact("mail-label-office", office_name);
            after.push(w.t("mail-receipt-keep"));
        }
        MailKind::ReviewStarted | MailKind::Approved => {
            fact("mail-label-permit", permit);
        }
        MailKind::InfoRequested => {
            fact("mail-label-needed", reason);
            fact("mail-label-respond-by", f.respond_by.map(|t| w.datetime(t)));
            after = vec![w.t(&id("how"))];
            if f.respond_by.is_some() {
                after.push(w.t(&id("late")));
            }
            links = vec![link("mail-link-application", "application")];
        }
        MailKind::Rejected => {
            fact("mail-label-permit", permit);
            fact("mail-label-reason", reason);
            fact("mail-label-office", office_name);
        }
        MailKind::ReadyForCollection => {
            fact("mail-label-when", f.collection_at.map(|t| w.datetime(t)));
            fact("mail-label-where", f.collection_place.clone());
            fact("mail-label-office", office_name);
            fact("mail-label-address", office_address);
            fact("mail-label-bring", Some(w.t("mail-bring-documents")));
        }
        MailKind::Issued => {
            fact("mail-label-permit", permit);
            fact("mail-label-valid-until", valid_until);
        }
        MailKind::Withdrawn | MailKind::Abandoned => {}
        MailKind::Expired => {
            fact("mail-label-permit", permit);
            fact("mail-label-valid-until", valid_until);
            links = vec![link("mail-link-renew", "renew")];
        }
        MailKind::Revoked => {
            fact("mail-label-permit", permit);
            fact("mail-label-reason", reason);
        }
        MailKind::ExpiryReminder => {
            intro = f
                .days_left
                .map(|d| w.t1(&id("intro"), "days", d.to_string()))
                .into_iter()
                .collect();
            fact("mail-label-permit", permit);
            fact("mail-label-valid-until", valid_until);
            links = vec![link("mail-link-renew", "renew")];
        }
        MailKind::HostDeadlineApproaching | MailKind::HostDeadlineMissed => {
            fact("mail-label-guest", f.guest_name.clone());
            fact(
                "mail-label-confirmation",
                f.arrival_confirmation.as_deref().map(printed_number),
            );
            fact("mail-label-arrived", f.arrived_at.map(|t| w.datetime(t)));
            fact("mail-label-deadline", f.deadline_at.map(|t| w.datetime(t)));
            if kind == MailKind::HostDeadlineMissed {
                fact("mail-label-fine", f.fine_kzt.map(|n| w.fine(n)));
                fact("mail-label-article", f.fine_article.clone());
            }
            links = vec![link("mail-link-host", "host")];
        }
    }
    let footer = vec![
        w.t("mail-footer-auto"),
        w.t(if kind.to_host() {
            "mail-footer-host"
        } else {
            "mail-footer-applicant"
        }),
        w.t("mail-footer-safety"),
    ];
    Letter {
        html_lang: match lang {
            Lang::Zh => "zh-Hans",
            other => other.code(),
        },
        separator: w.t("mail-separator"),
        service: w.t1(
            "mail-service",
            "authority",
            policy.doc().meta.name.get(lang).to_owned(),
        ),
        subject,
        heading,
        greeting: w.t("mail-greeting"),
        intro,
        facts,
        after,
        links,
        footer,
    }
}

/// An arrival confirmation number as the host pages print it (groups of four).
fn printed_number(compact: &str) -> String {
    CardNumber::parse(compact).map_or_else(|_| compact.to_owned(), |n| n.to_string())
}
