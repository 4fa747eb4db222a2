//! Replacing the policy in force: the one way the JSON API and the admin pages do it.
//!
//! The file is checked in full first ([`Policy::from_toml`] names every problem with its
//! line and field); only a good one is audited as `policy.replace` (with the file's SHA-256),
//! then saved (atomically and durably, where the server keeps its policy file), and swapped
//! in. The entry comes first so that no policy is ever in force without one; a save that
//! fails after it is recorded as `policy.replace_failed`. A refused file changes nothing.

use tirkeu_core::policy::Policy;
use tirkeu_core::problem::FieldProblem;
use tirkeu_store::{NewAudit, Store, with_store};

use crate::auth::Account;
use crate::error::ApiError;
use crate::state::App;

/// The largest policy file accepted (the default is about 60 KiB).
pub const POLICY_LIMIT: usize = 1024 * 1024;

/// A policy checker's issue as a field problem: code `policy.invalid`, with the `line` (or
/// `?`) and the checker's `detail`. The checker writes its details in English, for the
/// administrator who edits the file; they are passed on as they are.
fn problem(i: tirkeu_core::policy::PolicyIssue) -> FieldProblem {
    FieldProblem::new(i.field, "policy.invalid")
        .with(
            "line",
            i.line.map_or_else(|| "?".to_owned(), |l| l.to_string()),
        )
        .with("detail", i.message)
}

/// Checks `text` as a policy and, when it is good, puts it in force as `actor`. Refused:
/// a 422 with one problem per issue, and nothing changed.
pub async fn replace(app: &App, text: &str, actor: &Account) -> Result<(), ApiError> {
    if text.len() > POLICY_LIMIT {
        return Err(ApiError::field(
            FieldProblem::new("file", "policy.too_large").with("max", POLICY_LIMIT / 1024),
        ));
    }
    let policy = Policy::from_toml(text)
        .map_err(|e| ApiError::validation(e.issues.into_iter().map(problem).collect()))?;
    // The audit entry first, naming the file by its hash: a policy in force that the log
    // does not show is impossible; a write that then fails is recorded as failed.
    let audit = |action: &str| NewAudit {
        at: app.now(),
        actor: actor.actor(),
        action: action.into(),
        object: "policy".into(),
        payload: serde_json::json!({
            "id": policy.doc().meta.id,
            "version": policy.doc().meta.version,
            "sha256": crate::secrets::sha256_hex(text),
        }),
    };
    with_store!(&app.store, s => s.append_audit(&audit("policy.replace")).await?);
    if let Some(path) = &app.config.policy_path
        && let Err(e) = write_atomically(path, text)
    {
        with_store!(&app.store, s => s.append_audit(&audit("policy.replace_failed")).await?);
        return Err(ApiError::internal(&e));
    }
    app.set_policy(policy);
    Ok(())
}

/// Writes `text` to `path` through a temporary file, synced, renamed over it, and the
/// directory synced: after a crash the file is the old one or the new one, whole.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("toml.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
