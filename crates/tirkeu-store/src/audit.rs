//! The hash chain of the audit log, its verification, and signed checkpoints.
//!
//! Each entry's hash is SHA-256 over a domain-separated, length-prefixed encoding of its
//! fields and the previous entry's hash, so editing, deleting, inserting or reordering any
//! entry breaks every later link. A chain that is cut at its end still verifies on its own;
//! a checkpoint — `(seq, hash, time)` signed with an Ed25519 key and kept outside the
//! database — catches that: the entry at `seq` must exist and have that hash.

pub use ed25519_dalek::VerifyingKey;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::AuditEntry;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"tirkeu-audit-v1\0";

/// The hash of an entry from its fields and the previous hash.
pub fn entry_hash(
    seq: i64,
    at: Timestamp,
    actor: &str,
    action: &str,
    object: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(seq.to_be_bytes());
    h.update(at.as_microsecond().to_be_bytes());
    for field in [actor, action, object, payload, prev_hash] {
        // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        h.update(u64::try_from(field.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
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

    /// Checks the signature, with `trusted` as the expected key when given.
    pub fn verify_signature(&self, trusted: Option<&VerifyingKey>) -> Result<(), String> {
        let key_bytes: [u8; 32] = hex::decode(&self.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the public key is not 32 hex bytes")?;
        let key = VerifyingKey::from_bytes(&key_bytes).map_err(|e| e.to_string())?;
        if let Some(t) = trusted
            && t != &key
        {
            return Err("signed with a key other than the trusted one".into());
        }
        let sig_bytes: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the signature is not 64 hex bytes")?;
        key.verify(
            &checkpoint_message(self.seq, &self.hash, self.time),
            &Signature::from_bytes(&sig_bytes),
        )
        .map_err(|_| "the signature does not match".to_owned())
    }
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
                let hash = entry_hash(seq, at, "system", "test", "case:1", &payload, &prev);
                let e = AuditEntry {
                    seq,
                    at,
                    actor: "system".into(),
                    action: "test".into(),
                    object: "case:1".into(),
                    payload,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
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
        assert_eq!(cp.verify_signature(Some(&key.verifying_key())), Ok(()));
        let mut forged = cp.clone();
        forged.seq = 4;
        assert!(forged.verify_signature(None).is_err());
        let other = parse_signing_key(&generate_signing_key()).unwrap();
        assert!(cp.verify_signature(Some(&other.verifying_key())).is_err());
        assert!(parse_signing_key("abc").is_err());
    }
}

/// The outcome of verifying a database's audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub last_seq: i64,
    pub last_hash: String,
    /// The first problem, if any: a broken link, a head that disagrees, or a checkpoint the
    /// chain does not contain.
    pub problem: Option<ChainBreak>,
    pub checkpoints_checked: usize,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Recomputes the whole chain of `store` in pages, then checks the head row and every
/// checkpoint (signature with `trusted` when given, and that the chain holds its hash).
pub async fn verify_store<S: crate::Store>(
    store: &S,
    checkpoints: &[Checkpoint],
    trusted: Option<&VerifyingKey>,
    mut progress: impl FnMut(u64),
) -> crate::Result<VerifyReport> {
    let mut v = ChainVerifier::default();
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
        }
        progress(v.checked());
        if v.first_break().is_some() {
            break;
        }
    }
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
    if problem.is_none() {
        for c in checkpoints {
            if let Err(e) = c.verify_signature(trusted) {
                problem = Some(ChainBreak {
                    seq: c.seq,
                    reason: format!("checkpoint at entry {}: {e}", c.seq),
                });
                break;
            }
            match wanted.get(&c.seq).cloned().flatten() {
                None => {
                    problem = Some(ChainBreak {
                        seq: c.seq,
                        reason: format!(
                            "a checkpoint signed at {} vouches for entry {}, but the log ends at entry {} (truncated)",
                            c.time,
                            c.seq,
                            v.last_seq()
                        ),
                    });
                    break;
                }
                Some(h) if h != c.hash => {
                    problem = Some(ChainBreak {
                        seq: c.seq,
                        reason: format!(
                            "entry {} differs from the checkpoint signed at {}",
                            c.seq, c.time
                        ),
                    });
                    break;
                }
                Some(_) => {}
            }
        }
    }
    Ok(VerifyReport {
        entries: v.checked(),
        last_seq: v.last_seq(),
        last_hash: v.last_hash().to_owned(),
        problem,
        checkpoints_checked: checkpoints.len(),
    })
}
