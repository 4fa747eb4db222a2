//! Replacing the policy in force: the one way the JSON API and the admin pages do it.
//!
//! The file is checked in full first ([`Policy::from_toml`] names every problem with its
//! line and field); only a good one is saved (atomically, where the server keeps its policy
//! file), audited as `policy.replace`, and swapped in. A refused file changes nothing.

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
    if let Some(path) = &app.config.policy_path {
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| ApiError::internal(&e))?;
    }
    with_store!(&app.store, s => s.append_audit(&NewAudit {
        at: app.now(),
        actor: actor.actor(),
        action: "policy.replace".into(),
        object: "policy".into(),
        payload: serde_json::json!({"id": policy.doc().meta.id, "version": policy.doc().meta.version}),
    }).await?);
    app.set_policy(policy);
    Ok(())
}
