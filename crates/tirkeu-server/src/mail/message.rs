//! The RFC 5322 message both transports send.

use std::time::SystemTime;

use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use super::{Outgoing, SendError};

/// `Content-Language` (RFC 3282): the language the recipient reads the message in.
#[derive(Clone, Debug)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.trim().to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): tells vacation responders and mailing lists
/// not to answer a machine.
#[derive(Clone, Debug)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The message for `m` from `from`, dated `date`: `Message-ID` `<{outbox_id}.outbox@{domain
/// of from}>` (the same on every retry), `Content-Language`, and a multipart/alternative body
/// with the plain text first and the HTML second, both UTF-8. A recipient that is no e-mail
/// address is a permanent error.
pub fn build_message(from: &Mailbox, m: &Outgoing, date: SystemTime) -> Result<Message, SendError> {
    let to: Mailbox =
        m.to.trim().parse().map_err(|e| {
            SendError::Permanent(format!("invalid recipient address `{}`: {e}", m.to))
        })?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.rendered.subject.clone())
        .message_id(Some(format!(
            "<{}.outbox@{}>",
            m.outbox_id,
            from.email.domain()
        )))
        .date(date)
        .header(ContentLanguage(m.lang.code().to_owned()))
        .header(AutoSubmitted)
        .multipart(MultiPart::alternative_plain_html(
            m.rendered.text.clone(),
            m.rendered.html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
}
