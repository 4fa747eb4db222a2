//! The transports: the mail drop and SMTP.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{self};

use super::{Outgoing, SendError, SmtpConfig, Transport, build_message};
use crate::mail::Security;

/// Messages as files: `{dir}/{outbox_id}.eml`, the exact bytes an SMTP server would get.
///
/// A file is written under a temporary name in the same directory, flushed to disk and
/// renamed, so a reader never sees half a message and a crash leaves none; writing the same
/// outbox id again replaces the file.
pub struct MailDrop {
    dir: PathBuf,
    from: Mailbox,
}

impl MailDrop {
    /// A mail drop in `dir` (created if missing), sending as `from`.
    pub fn new(dir: PathBuf, from: Mailbox) -> io::Result<MailDrop> {
        std::fs::create_dir_all(&dir)?;
        Ok(MailDrop { dir, from })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the message of `outbox_id` is written.
    pub fn path_for(&self, outbox_id: i64) -> PathBuf {
        self.dir.join(format!("{outbox_id}.eml"))
    }
}

fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    // A dot name, so nothing looking for `*.eml` picks up a file being written.
    let tmp = dir.join(format!(".{}.tmp", hex::encode(rand::random::<[u8; 8]>())));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    written?;
    // The rename itself survives a crash once the directory is synced.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

impl Transport for MailDrop {
    fn name(&self) -> &'static str {
        "drop"
    }

    async fn send(&self, m: &Outgoing) -> Result<(), SendError> {
        let bytes = build_message(&self.from, m, SystemTime::now())?.formatted();
        let (dir, path) = (self.dir.clone(), self.path_for(m.outbox_id));
        let shown = path.display().to_string();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &path, &bytes))
            .await
            .map_err(|e| SendError::Temporary(format!("mail drop {shown}: {e}")))?
            .map_err(|e| SendError::Temporary(format!("mail drop {shown}: {e}")))
    }
}

/// An SMTP server: one connection per message.
///
/// No connection pool: lettre's pool puts a connection back when the future using it is
/// dropped, so a send cut off by our time limit (lettre's own limit covers only connecting)
/// would leave a connection in the middle of a transaction for the next message to trip
/// over. A fresh connection per message is dropped cleanly whenever the limit strikes, and
/// notification volumes are far below what that costs.
pub struct Smtp {
    host: String,
    port: u16,
    security: Security,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    from: Mailbox,
    /// The limit for each network step.
    step: Duration,
    /// `host:port`, for error messages.
    server: String,
}

impl Smtp {
    /// A client for the server `config` names, sending as `from`. Nothing is connected yet.
    pub fn new(config: &SmtpConfig, from: Mailbox) -> Result<Smtp, String> {
        let host = config.host.trim();
        if host.is_empty() {
            return Err("mail.transport.host: the SMTP server's host name is empty".into());
        }
        if config.timeout_seconds == 0 {
            return Err("mail.transport.timeout_seconds: must be at least 1".into());
        }
        let port = config.port();
        let tls = match config.security {
            Security::None => None,
            Security::Starttls | Security::Tls => Some(
                TlsParameters::new(host.to_owned())
                    .map_err(|e| format!("SMTP {host}:{port}: TLS set-up: {e}"))?,
            ),
        };
        let credentials = match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                Some(Credentials::new(user.clone(), password.0.clone()))
            }
            (None, None) => None,
            _ => {
                return Err(
                    "mail.transport: give both username and password for SMTP login, or neither"
                        .into(),
                );
            }
        };
        if credentials.is_some() && config.security == Security::None {
            return Err(
                "mail.transport: a login over security = \"none\" would send the \
                        password in clear text; use starttls or tls"
                    .into(),
            );
        }
        Ok(Smtp {
            host: host.to_owned(),
            port,
            security: config.security,
            tls,
            credentials,
            hello: ClientId::default(),
            from,
            step: Duration::from_secs(config.timeout_seconds),
            server: format!("{host}:{port}"),
        })
    }

    /// `step` under the time limit; a failure is temporary unless `transaction` says the
    /// message itself was refused.
    async fn step<T>(
        &self,
        what: &str,
        transaction: bool,
        step: impl Future<Output = Result<T, smtp::Error>>,
    ) -> Result<T, SendError> {
        match tokio::time::timeout(self.step, step).await {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err(classify(&self.server, what, transaction, &e)),
            Err(_) => Err(SendError::Temporary(format!(
                "SMTP {}: {what}: no answer within {} s",
                self.server,
                self.step.as_secs()
            ))),
        }
    }
}

impl Transport for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, m: &Outgoing) -> Result<(), SendError> {
        let message = build_message(&self.from, m, SystemTime::now())?;
        let bytes = message.formatted();
        let wrapper = match self.security {
            Security::Tls => self.tls.clone(),
            Security::None | Security::Starttls => None,
        };
        let mut conn = self
            .step(
                "connecting",
                false,
                AsyncSmtpConnection::connect_tokio1(
                    (self.host.as_str(), self.port),
                    Some(self.step),
                    &self.hello,
                    wrapper,
                    None,
                ),
            )
            .await?;
        if let (Security::Starttls, Some(tls)) = (self.security, &self.tls) {
            self.step("STARTTLS", false, conn.starttls(tls.clone(), &self.hello))
                .await?;
        }
        if let Some(credentials) = &self.credentials {
            self.step(
                "login",
                false,
                conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials),
            )
            .await?;
        }
        self.step("sending", true, conn.send(message.envelope(), &bytes))
            .await?;
        // The server has the message; a slow goodbye changes nothing.
        tokio::time::timeout(self.step, conn.quit()).await.ok();
        Ok(())
    }
}

/// Which SMTP failures are worth retrying. A 5xx reply to the message (MAIL, RCPT, DATA) is
/// the server's final word on it. Everything else may pass: a 4xx reply, a timeout, a
/// network or TLS failure, and any refusal before the message (greeting, STARTTLS, login),
/// which is about the server or our configuration rather than this message — once that is
/// put right, the messages waiting should go.
fn classify(server: &str, what: &str, transaction: bool, e: &smtp::Error) -> SendError {
    let text = format!("SMTP {server}: {what}: {}", describe(e));
    if transaction && e.is_permanent() {
        SendError::Permanent(text)
    } else {
        SendError::Temporary(text)
    }
}
/// The error and its causes on one line (lettre puts the reason for a network failure in
/// the source chain). Server replies are short status lines; the message is never in them.
fn describe(e: &smtp::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !out.contains(&s_text) {
            out.push_str(": ");
            out.push_str(&s_text);
        }
        source = s.source();
    }
    out
}
