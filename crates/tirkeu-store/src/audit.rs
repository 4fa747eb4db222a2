//! The hash chain of the audit log, the state hashes of audited rows, their verification,
//! and signed checkpoints.
//!
//! Each entry's hash is SHA-256 over a domain-separated, length-prefixed encoding of its
//! fields and the previous entry's hash, so editing, deleting, inserting or reordering any
//! entry breaks every later link. A chain that is cut at its end, or rewritten from some entry
//! on, still verifies on its own; a checkpoint — `(seq, hash, time)` signed with an Ed25519
//! key and kept where the database host cannot write — catches that: the entry at `seq` must
//! exist and have that hash. A checkpoint is only as good as the key it is checked against,
//! so verifying one takes a pinned public key and never the key written in the file.
//!
//! The chain alone protected only itself: an `UPDATE` of an application row left every entry
//! intact. So each entry of a change to an application or an arrival also carries the hash
//! of the row as written ([`state_hash`], over every column of [`APPLICATIONS`] or
//! [`ARRIVALS`]), and [`verify_store`] checks each current row against the last state hash
//! the chain recorded for it: an edited row, a row deleted, or a row inserted outside tirkeu
//! is reported with its number.
//!
//! What remains open (docs/operations.md): the chain is not keyed, so someone who can write
//! to the database can append entries that look genuine — or rewrite the entries after the
//! last checkpoint — until the next checkpoint is signed. Checkpoints bound that window to
//! their interval; they do not close it.

use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::AuditEntry;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"tirkeu-audit-v1\0";
/// Entries with a state hash: the v1 fields, then the state hash.
const DOMAIN_V2: &[u8] = b"tirkeu-audit-v2\0";

/// The hash of an entry from its fields and the previous hash. An entry without a state
/// hash is hashed as before migration 0008 (`tirkeu-audit-v1`), so older chains still
/// verify; one with a state hash under its own domain (`tirkeu-audit-v2`), which covers it.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    seq: i64,
    at: Timestamp,
    actor: &str,
    action: &str,
    object: &str,
    payload: &str,
    prev_hash: &str,
    state_hash: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    h.update(if state_hash.is_some() {
        DOMAIN_V2
    } else {
        DOMAIN
    });
    h.update(seq.to_be_bytes());
    h.update(at.as_microsecond().to_be_bytes());
    for field in [actor, action, object, payload, prev_hash]
        .into_iter()
        .chain(state_hash)
    {
        // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        h.update(u64::try_from(field.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// How a column of an audited row is read and encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Int,
    Text,
    Bool,
}

/// A table whose rows the audit log records the state of.
#[derive(Debug)]
pub struct AuditedTable {
    /// The table, and the prefix of its entries' objects (`application:ID`).
    pub table: &'static str,
    pub object: &'static str,
    /// The column that names a row to people (case or confirmation number).
    pub label: &'static str,
    /// Every column of the table, in the order the encoding takes them. `id` first.
    pub columns: &'static [(&'static str, ColumnKind)],
}

impl AuditedTable {
    /// `SELECT` of the encoded columns, without `WHERE`.
    pub fn select(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        format!("SELECT {} FROM {}", cols.join(", "), self.table)
    }

    /// The object of the row `id` in audit entries.
    pub fn object_of(&self, id: i64) -> String {
        format!("{}:{id}", self.object)
    }

    /// The row id of an entry's object, when the object is a row of this table.
    pub fn id_of(&self, object: &str) -> Option<i64> {
        object
            .strip_prefix(self.object)?
            .strip_prefix(':')?
            .parse()
            .ok()
    }
}

use ColumnKind::{Bool, Int, Text};

/// Applications, every column (encoding `row-v1`). Each one either decides something —
/// state, version, dates, validity, card number and verification token hash (what the
/// public verify endpoint answers), office and assigned officer (who may act), passport
/// lookup (the duplicate check), access code hash (who may read) — or is personal data whose
/// silent edit is itself the harm. Listing them all leaves nothing to argue about; a test
/// checks the list against both backends' schemas, so a new column needs a decision (and a
/// new encoding version).
pub const APPLICATIONS: AuditedTable = AuditedTable {
    table: "applications",
    object: "application",
    label: "number",
    columns: &[
        ("id", Int),
        ("number", Text),
        ("access_code_hash", Text),
        ("permit_type", Text),
        ("language", Text),
        ("state", Text),
        ("version", Int),
        ("surname", Text),
        ("given_names", Text),
        ("passport_number", Text),
        ("passport_lookup", Text),
        ("nationality", Text),
        ("birth_date", Text),
        ("sex", Text),
        ("passport_expiry", Text),
        ("email", Text),
        ("phone", Text),
        ("address_city", Text),
        ("address_line", Text),
        ("arrival_date", Text),
        ("office", Text),
        ("assigned_officer", Int),
        ("queued_at", Int),
        ("created_at", Int),
        ("updated_at", Int),
        ("submitted_at", Int),
        ("due_at", Int),
        ("reason", Text),
        ("valid_from", Text),
        ("valid_until", Text),
        ("collection_at", Int),
        ("collection_place", Text),
        ("card_number", Text),
        ("verify_token_hash", Text),
        ("decided_at", Int),
        ("respond_by", Int),
        ("purged_at", Int),
    ],
};

/// Arrival notifications, every column (encoding `row-v1`), for the same reasons.
pub const ARRIVALS: AuditedTable = AuditedTable {
    table: "arrivals",
    object: "arrival",
    label: "confirmation_number",
    columns: &[
        ("id", Int),
        ("confirmation_number", Text),
        ("host_id", Int),
        ("surname", Text),
        ("given_names", Text),
        ("passport_number", Text),
        ("passport_lookup", Text),
        ("nationality", Text),
        ("birth_date", Text),
        ("address_city", Text),
        ("address_line", Text),
        ("arrived_at", Int),
        ("notified_at", Int),
        ("deadline_at", Int),
        ("late", Bool),
        ("fine_kzt", Int),
        ("status", Text),
        ("purged_at", Int),
    ],
};

/// The tables whose rows the verifier checks.
pub const AUDITED_TABLES: [&AuditedTable; 2] = [&APPLICATIONS, &ARRIVALS];

/// A column's value as read from either backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
}

/// The version prefix of state hashes written now.
pub const STATE_VERSION: &str = "row-v1";

/// The state hash of a row of `table` whose columns (in `table.columns` order) hold
/// `values`: `row-v1:` and SHA-256 over the table name and each column's name, type tag and
/// value, length-prefixed. Both backends read the same values (instants as microseconds,
/// dates as ISO text), so a row hashes the same on either.
pub fn state_hash(table: &AuditedTable, values: &[Value]) -> String {
    let mut h = Sha256::new();
    h.update(b"tirkeu-row-v1\0");
    let field = |h: &mut Sha256, b: &[u8]| {
        h.update(u64::try_from(b.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(b);
    };
    field(&mut h, table.table.as_bytes());
    for ((name, _), v) in table.columns.iter().zip(values) {
        field(&mut h, name.as_bytes());
        match v {
            Value::Null => h.update([0]),
            Value::Int(i) => {
                h.update([1]);
                h.update(i.to_be_bytes());
            }
            Value::Text(t) => {
                h.update([2]);
                field(&mut h, t.as_bytes());
            }
            Value::Bool(b) => h.update([3, u8::from(*b)]),
        }
    }
    format!("{STATE_VERSION}:{}", hex::encode(h.finalize()))
}

/// A row as the verifier sees it: its id, its number, and the hash of its current state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowState {
    pub id: i64,
    pub label: String,
    pub state_hash: String,
}

/// The first problem found in a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Walks a chain in `seq` order, entry by entry.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    checked: u64,
    first_break: Option<ChainBreak>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            checked: 0,
            first_break: None,
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry; after the first break, later entries are not judged.
    pub fn push(&mut self, e: &AuditEntry) {
        if self.first_break.is_some() {
            return;
        }
        self.checked += 1;
        let fail = |reason: String| Some(ChainBreak { seq: e.seq, reason });
        self.first_break = if e.seq != self.expected_seq {
            if e.seq > self.expected_seq {
                fail(format!(
                    "entries {}..{} are missing (deleted?)",
                    self.expected_seq,
                    e.seq - 1
                ))
            } else {
                fail(format!(
                    "sequence number repeats or goes back (expected {})",
                    self.expected_seq
                ))
            }
        } else if e.prev_hash != self.prev_hash {
            fail("its prev_hash does not link to the entry before it (inserted, removed or reordered entries)".into())
        } else if entry_hash(
            e.seq,
            e.at,
            &e.actor,
            &e.action,
            &e.object,
            &e.payload,
            &e.prev_hash,
            e.state_hash.as_deref(),
        ) != e.hash
        {
            fail("its content does not match its hash (edited)".into())
        } else {
            None
        };
        self.expected_seq = e.seq + 1;
        self.prev_hash.clone_from(&e.hash);
    }

    /// Entries checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The last sequence number seen.
    pub fn last_seq(&self) -> i64 {
        self.expected_seq - 1
    }

    /// The hash of the last entry seen.
    pub fn last_hash(&self) -> &str {
        &self.prev_hash
    }

    pub fn first_break(&self) -> Option<&ChainBreak> {
        self.first_break.as_ref()
    }
}

/// A signed statement that the chain had `hash` at `seq` at `time`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub time: Timestamp,
    /// Hex Ed25519 public key.
    pub public_key: String,
    /// Hex Ed25519 signature over the canonical message.
    pub signature: String,
}

fn checkpoint_message(seq: i64, hash: &str, time: Timestamp) -> Vec<u8> {
    format!(
        "tirkeu-audit-checkpoint-v1\n{seq}\n{hash}\n{}",
        time.as_microsecond()
    )
    .into_bytes()
}

impl Checkpoint {
    /// Signs `(seq, hash, time)`.
    pub fn sign(key: &SigningKey, seq: i64, hash: &str, time: Timestamp) -> Checkpoint {
        let sig = key.sign(&checkpoint_message(seq, hash, time));
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            time,
            public_key: hex::encode(key.verifying_key().to_bytes()),
            signature: hex::encode(sig.to_bytes()),
        }
    }

    /// Checks the signature against `pinned`, the public key the operator keeps apart from
    /// the checkpoints. The key written in the file is never trusted: whoever can write a
    /// checkpoint can write a key beside it.
    pub fn verify_signature(&self, pinned: &VerifyingKey) -> Result<(), String> {
        let sig_bytes: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the signature is not 64 hex bytes")?;
        pinned
            .verify(
                &checkpoint_message(self.seq, &self.hash, self.time),
                &Signature::from_bytes(&sig_bytes),
            )
            .map_err(|_| {
                if self.public_key == hex::encode(pinned.to_bytes()) {
                    "the signature does not match (the checkpoint was altered)".to_owned()
                } else {
                    "not signed with the pinned public key".to_owned()
                }
            })
    }
}

/// Writes `cp` as a new file in `dir`, named by its entry and time
/// (`checkpoint-SEQ-TIMEUS.json`), and answers its path. The file is written to a temporary
/// name, synced, then linked to its final name — which fails if that name exists, so a
/// checkpoint is never overwritten — and the directory synced; the file is made read-only.
/// The directory belongs on a host or mount the database host cannot write.
pub fn write_checkpoint(
    dir: &std::path::Path,
    cp: &Checkpoint,
) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir)?;
    let name = format!(
        "checkpoint-{:012}-{}.json",
        cp.seq,
        cp.time.as_microsecond()
    );
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let json = serde_json::to_string_pretty(cp).map_err(std::io::Error::other)? + "\n";
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)?;
    f.write_all(json.as_bytes())?;
    f.sync_all()?;
    drop(f);
    let linked = std::fs::hard_link(&tmp, &path);
    std::fs::remove_file(&tmp)?;
    linked?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))?;
    }
    std::fs::File::open(dir)?.sync_all()?;
    Ok(path)
}

/// Reads a checkpoint file.
pub fn read_checkpoint(path: &std::path::Path) -> Result<Checkpoint, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not a checkpoint: {e}", path.display()))
}

/// Every checkpoint in `dir` (files `checkpoint-*.json`), oldest entry first.
pub fn read_checkpoint_dir(dir: &std::path::Path) -> Result<Vec<Checkpoint>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("checkpoint-") && name.ends_with(".json") {
            out.push(read_checkpoint(&e.path())?);
        }
    }
    out.sort_by_key(|c| (c.seq, c.time));
    Ok(out)
}

/// Reads an Ed25519 signing key: 32 bytes as 64 hex characters (whitespace ignored).
pub fn parse_signing_key(text: &str) -> Result<SigningKey, String> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes: [u8; 32] = hex::decode(&clean)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("an audit signing key is 32 bytes written as 64 hex characters")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Reads an Ed25519 public key written as 64 hex characters.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("a public key is 32 bytes written as 64 hex characters")?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| e.to_string())
}

/// A new random signing key, as hex.
pub fn generate_signing_key() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let at = Timestamp::from_second(1_700_000_000 + seq).unwrap();
                let payload = format!("{{\"n\":{seq}}}");
                let hash = entry_hash(seq, at, "system", "test", "case:1", &payload, &prev, None);
                let e = AuditEntry {
                    seq,
                    at,
                    actor: "system".into(),
                    action: "test".into(),
                    object: "case:1".into(),
                    payload,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                    state_hash: None,
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry]) -> Option<ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.push(e);
        }
        v.first_break().cloned()
    }

    #[test]
    fn detects_every_kind_of_tampering() {
        let good = chain(6);
        assert_eq!(verify(&good), None);
        let mut edited = good.clone();
        edited[2].action = "other".into();
        assert_eq!(verify(&edited).unwrap().seq, 3);
        let mut deleted = good.clone();
        deleted.remove(3);
        assert!(verify(&deleted).unwrap().reason.contains("missing"));
        let mut reordered = good.clone();
        reordered.swap(1, 2);
        assert_eq!(verify(&reordered).unwrap().seq, 3);
        // An inserted entry renumbered into place cannot link both ways.
        let mut inserted = chain(3);
        let mut forged = chain(4)[3].clone();
        forged.seq = 4;
        forged.prev_hash = inserted[2].hash.clone();
        forged.payload = "{\"forged\":true}".into();
        forged.hash = entry_hash(
            4,
            forged.at,
            "x",
            "y",
            "z",
            &forged.payload,
            &forged.prev_hash,
            None,
        );
        inserted.push(forged);
        inserted.extend(good[3..].iter().cloned().map(|mut e| {
            e.seq += 1;
            e
        }));
        assert!(verify(&inserted).is_some());
    }

    #[test]
    fn checkpoints_sign_and_verify() {
        let key = parse_signing_key(&generate_signing_key()).unwrap();
        let cp = Checkpoint::sign(&key, 5, "ab", Timestamp::UNIX_EPOCH);
        assert_eq!(cp.verify_signature(&key.verifying_key()), Ok(()));
        let mut forged = cp.clone();
        forged.seq = 4;
        assert!(forged.verify_signature(&key.verifying_key()).is_err());
        let other = parse_signing_key(&generate_signing_key()).unwrap();
        assert!(cp.verify_signature(&other.verifying_key()).is_err());
        // A checkpoint re-signed with another key, that key written in the file: refused.
        let resigned = Checkpoint::sign(&other, 5, "ab", Timestamp::UNIX_EPOCH);
        assert_eq!(
            resigned.verify_signature(&key.verifying_key()),
            Err("not signed with the pinned public key".to_owned())
        );
        assert!(parse_signing_key("abc").is_err());
    }

    #[test]
    fn checkpoint_files_are_new_files_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let key = parse_signing_key(&generate_signing_key()).unwrap();
        let cp = Checkpoint::sign(&key, 7, "ab", Timestamp::UNIX_EPOCH);
        let path = write_checkpoint(dir.path(), &cp).unwrap();
        assert_eq!(read_checkpoint(&path).unwrap(), cp);
        // The same name again (a clock that repeats): refused, the first file intact.
        let err = write_checkpoint(dir.path(), &cp).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        let later = Checkpoint::sign(&key, 9, "cd", Timestamp::from_second(60).unwrap());
        write_checkpoint(dir.path(), &later).unwrap();
        assert_eq!(read_checkpoint_dir(dir.path()).unwrap(), vec![cp, later]);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| n.starts_with("checkpoint-")),
            "{names:?}"
        );
    }

    #[test]
    fn a_state_hash_is_covered_by_the_entry_hash_and_changes_with_any_column() {
        let at = Timestamp::UNIX_EPOCH;
        let plain = entry_hash(1, at, "a", "b", "c", "{}", GENESIS_HASH, None);
        let with = entry_hash(1, at, "a", "b", "c", "{}", GENESIS_HASH, Some("row-v1:00"));
        let other = entry_hash(1, at, "a", "b", "c", "{}", GENESIS_HASH, Some("row-v1:01"));
        assert_ne!(plain, with);
        assert_ne!(with, other);
        let values: Vec<Value> = ARRIVALS
            .columns
            .iter()
            .map(|(_, k)| match k {
                ColumnKind::Int => Value::Int(1),
                ColumnKind::Text => Value::Text("x".into()),
                ColumnKind::Bool => Value::Bool(false),
            })
            .collect();
        let base = state_hash(&ARRIVALS, &values);
        assert!(base.starts_with("row-v1:"));
        for i in 0..values.len() {
            let mut changed = values.clone();
            changed[i] = Value::Null;
            assert_ne!(state_hash(&ARRIVALS, &changed), base, "column {i}");
        }
        assert_eq!(APPLICATIONS.id_of("application:42"), Some(42));
        assert_eq!(APPLICATIONS.id_of("applications"), None);
        assert_eq!(ARRIVALS.id_of("application:42"), None);
    }
}

/// Checkpoints to check, with the public key they must be signed with (pinned by the
/// operator, never read from the checkpoints).
#[derive(Clone, Copy, Debug)]
pub struct Pinned<'a> {
    pub key: &'a VerifyingKey,
    pub checkpoints: &'a [Checkpoint],
}

/// A row whose current state the chain does not vouch for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// `application` or `arrival`.
    pub object: String,
    pub id: i64,
    /// Its case number or confirmation number (`#ID` when the row is gone).
    pub number: String,
    pub reason: String,
}

/// At most this many row problems are listed (all are counted).
const ROW_PROBLEMS_LISTED: usize = 1000;

/// The outcome of verifying a database's audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub last_seq: i64,
    pub last_hash: String,
    /// The first problem of the chain, if any: a broken link, a head that disagrees, or a
    /// checkpoint the chain does not contain.
    pub problem: Option<ChainBreak>,
    pub checkpoints_checked: usize,
    /// The highest entry a matching checkpoint vouches for.
    pub latest_checkpoint: Option<i64>,
    /// Rows of applications and arrivals compared with their last recorded state.
    pub rows_checked: u64,
    /// Rows whose whole history predates state hashes (migration 0008): not checked.
    pub rows_skipped: u64,
    /// Rows that differ from, or lack, the state the chain recorded (the first
    /// [`ROW_PROBLEMS_LISTED`]).
    pub row_problems: Vec<RowProblem>,
    pub row_problems_total: u64,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problem.is_none() && self.row_problems_total == 0
    }
}

/// The digest of a `row-v1` state hash; `None` for another encoding.
fn digest(state_hash: &str) -> Option<[u8; 32]> {
    let hex_part = state_hash.strip_prefix(STATE_VERSION)?.strip_prefix(':')?;
    hex::decode(hex_part).ok()?.try_into().ok()
}

/// What the chain says about the rows of one table.
#[derive(Default)]
struct Recorded {
    /// Row id → the last entry with a state hash, and its digest (`None`: an encoding this
    /// version does not know).
    last: std::collections::HashMap<i64, (i64, Option<[u8; 32]>)>,
    /// Rows with an entry written before state hashes existed.
    before: std::collections::HashSet<i64>,
}

/// Checks each checkpoint's signature against the pinned key and that the chain (whose
/// hashes at the checkpointed entries are in `wanted`) holds it; answers the first problem
/// and the highest entry vouched for.
fn check_checkpoints(
    p: Pinned<'_>,
    wanted: &std::collections::BTreeMap<i64, Option<String>>,
    last_seq: i64,
) -> (Option<ChainBreak>, Option<i64>) {
    let mut latest = None;
    for c in p.checkpoints {
        if let Err(e) = c.verify_signature(p.key) {
            let reason = format!("checkpoint at entry {}: {e}", c.seq);
            return (Some(ChainBreak { seq: c.seq, reason }), latest);
        }
        match wanted.get(&c.seq).cloned().flatten() {
            None => {
                let reason = format!(
                    "a checkpoint signed at {} vouches for entry {}, but the log ends at entry {last_seq} (truncated)",
                    c.time, c.seq
                );
                return (Some(ChainBreak { seq: c.seq, reason }), latest);
            }
            Some(h) if h != c.hash => {
                let reason = format!(
                    "entry {} differs from the checkpoint signed at {} (the log was rewritten)",
                    c.seq, c.time
                );
                return (Some(ChainBreak { seq: c.seq, reason }), latest);
            }
            Some(_) => latest = latest.max(Some(c.seq)),
        }
    }
    (None, latest)
}

/// Compares every row of the audited tables with the last state the chain recorded for it.
async fn check_rows<S: crate::Store>(
    store: &S,
    recorded: Vec<Recorded>,
    report: &mut VerifyReport,
) -> crate::Result<()> {
    let flag = |report: &mut VerifyReport, p: RowProblem| {
        report.row_problems_total += 1;
        if report.row_problems.len() < ROW_PROBLEMS_LISTED {
            report.row_problems.push(p);
        }
    };
    for (table, mut rec) in AUDITED_TABLES.iter().zip(recorded) {
        let mut after = 0;
        loop {
            let rows = store.audited_rows(table, after, 5_000).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in &rows {
                report.rows_checked += 1;
                let problem = |reason: String| RowProblem {
                    object: table.object.to_owned(),
                    id: row.id,
                    number: row.label.clone(),
                    reason,
                };
                match rec.last.remove(&row.id) {
                    Some((seq, Some(want))) => {
                        if digest(&row.state_hash) != Some(want) {
                            flag(
                                report,
                                problem(format!(
                                    "the row differs from the state entry {seq} recorded (changed outside tirkeu)"
                                )),
                            );
                        }
                    }
                    Some((seq, None)) => flag(
                        report,
                        problem(format!(
                            "entry {seq} recorded the state in an encoding this version does not know"
                        )),
                    ),
                    None if rec.before.contains(&row.id) => report.rows_skipped += 1,
                    None => flag(
                        report,
                        problem(
                            "no audit entry records this row's state (written outside tirkeu)"
                                .into(),
                        ),
                    ),
                }
            }
        }
        let mut gone: Vec<(i64, i64)> = rec
            .last
            .into_iter()
            .map(|(id, (seq, _))| (id, seq))
            .collect();
        gone.sort_unstable();
        for (id, seq) in gone {
            flag(
                report,
                RowProblem {
                    object: table.object.to_owned(),
                    id,
                    number: format!("#{id}"),
                    reason: format!(
                        "entry {seq} recorded this row, but it is gone (deleted outside tirkeu)"
                    ),
                },
            );
        }
    }
    Ok(())
}

/// Recomputes the whole chain of `store` in pages, checks the head row and every checkpoint
/// (signed with the pinned key, and held by the chain), then every application and arrival
/// row against the last state hash the chain recorded for it.
pub async fn verify_store<S: crate::Store>(
    store: &S,
    pinned: Option<Pinned<'_>>,
    mut progress: impl FnMut(u64),
) -> crate::Result<VerifyReport> {
    let checkpoints = pinned.map_or(&[][..], |p| p.checkpoints);
    let hashed_after = store.audit_hashed_after().await?;
    let mut v = ChainVerifier::default();
    let mut recorded: Vec<Recorded> = AUDITED_TABLES.iter().map(|_| Recorded::default()).collect();
    let mut first_hashed: Option<i64> = None;
    // seq → hash of the checkpointed entries, filled while walking.
    let mut wanted: std::collections::BTreeMap<i64, Option<String>> =
        checkpoints.iter().map(|c| (c.seq, None)).collect();
    let mut after = 0;
    loop {
        let page = store.audit_entries(after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            v.push(e);
            if let Some(slot) = wanted.get_mut(&e.seq) {
                *slot = Some(e.hash.clone());
            }
            for (table, rec) in AUDITED_TABLES.iter().zip(&mut recorded) {
                let Some(id) = table.id_of(&e.object) else {
                    continue;
                };
                if let Some(sh) = &e.state_hash {
                    first_hashed.get_or_insert(e.seq);
                    rec.last.insert(id, (e.seq, digest(sh)));
                } else if e.seq <= hashed_after {
                    rec.before.insert(id);
                }
            }
        }
        progress(v.checked());
        if v.first_break().is_some() {
            break;
        }
    }
    let chain_walked = v.first_break().is_none();
    let mut problem = v.first_break().cloned();
    if problem.is_none() {
        let (head_seq, head_hash) = store.audit_head().await?;
        if head_seq != v.last_seq() || head_hash != v.last_hash() {
            problem = Some(ChainBreak {
                seq: head_seq,
                reason: format!(
                    "the chain head says entry {head_seq} but the log ends at entry {}",
                    v.last_seq()
                ),
            });
        }
    }
    let mut latest_checkpoint = None;
    if problem.is_none()
        && let Some(p) = pinned
    {
        (problem, latest_checkpoint) = check_checkpoints(p, &wanted, v.last_seq());
    }
    // The boundary is a row in the database too; it cannot claim entries that carry hashes.
    if problem.is_none() {
        if hashed_after > v.last_seq() && v.last_seq() > 0 {
            problem = Some(ChainBreak {
                seq: hashed_after,
                reason: format!(
                    "audit_state.hashed_after is {hashed_after}, past the end of the log (edited?)"
                ),
            });
        } else if let Some(f) = first_hashed
            && f <= hashed_after
        {
            problem = Some(ChainBreak {
                seq: f,
                reason: format!(
                    "audit_state.hashed_after is {hashed_after}, but entry {f} already carries a state hash (edited to skip rows?)"
                ),
            });
        }
    }
    let mut report = VerifyReport {
        entries: v.checked(),
        last_seq: v.last_seq(),
        last_hash: v.last_hash().to_owned(),
        problem,
        checkpoints_checked: checkpoints.len(),
        latest_checkpoint,
        rows_checked: 0,
        rows_skipped: 0,
        row_problems: Vec::new(),
        row_problems_total: 0,
    };
    // Without the whole chain the recorded states are incomplete: nothing to compare with.
    if !chain_walked {
        return Ok(report);
    }
    check_rows(store, recorded, &mut report).await?;
    Ok(report)
}
