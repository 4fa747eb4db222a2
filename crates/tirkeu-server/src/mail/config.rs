//! The `[mail]` configuration: the sender and the transport.

use std::fmt;
use std::path::PathBuf;

use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

/// How messages are sent, and from whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The `From` of every message, e.g. `tirkeu <no-reply@migration.example.kz>`; its
    /// domain also ends every `Message-ID`.
    pub from: String,
    pub transport: TransportConfig,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            from: "tirkeu <no-reply@localhost>".into(),
            transport: TransportConfig::default(),
        }
    }
}

impl MailConfig {
    /// The mail drop's directory when the transport is the mail drop (default
    /// `data_dir/mail`); `None` for SMTP.
    pub fn drop_dir(&self, data_dir: &std::path::Path) -> Option<PathBuf> {
        match &self.transport {
            TransportConfig::Drop { dir } => {
                Some(dir.clone().unwrap_or_else(|| data_dir.join("mail")))
            }
            TransportConfig::Smtp(_) => None,
        }
    }

    /// `from` as a mailbox.
    pub fn from_mailbox(&self) -> Result<Mailbox, String> {
        self.from
            .parse()
            .map_err(|e| format!("mail.from: `{}` is not an e-mail address: {e}", self.from))
    }
}

/// The transport: the mail drop (default) or SMTP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TransportConfig {
    /// Each message as `{dir}/{outbox_id}.eml`; `dir` defaults to `data_dir/mail`.
    Drop {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dir: Option<PathBuf>,
    },
    Smtp(SmtpConfig),
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig::Drop { dir: None }
    }
}

/// An SMTP server (a submission service or a relay).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    /// Default by `security`: 25 (none), 587 (starttls), 465 (tls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    /// Log in with these when given (both or neither; not with `security = "none"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Password>,
    /// The limit, in seconds, for each step of sending a message: connecting (with the
    /// greeting and EHLO), STARTTLS, login, and the message itself (MAIL, RCPT, DATA).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_timeout() -> u64 {
    30
}

impl SmtpConfig {
    /// A server at `host` with the defaults: STARTTLS on 587, no login, 30 s.
    pub fn new(host: impl Into<String>) -> SmtpConfig {
        SmtpConfig {
            host: host.into(),
            port: None,
            security: Security::default(),
            username: None,
            password: None,
            timeout_seconds: default_timeout(),
        }
    }

    /// The port: the configured one, or the usual one for `security`.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        })
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text: only for a relay on the same host or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (implicit TLS, port 465).
    Tls,
}

impl Security {
    /// The configuration name.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::Starttls => "starttls",
            Security::Tls => "tls",
        }
    }
}

impl std::str::FromStr for Security {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Security::None),
            "starttls" => Ok(Security::Starttls),
            "tls" => Ok(Security::Tls),
            _ => Err(format!("`{s}` is not one of none, starttls, tls")),
        }
    }
}

/// The SMTP password: never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
