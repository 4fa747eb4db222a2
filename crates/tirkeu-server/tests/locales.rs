//! Every text exists in every language: the same files, the same message ids, the same
//! placeholders in kk, ru, en and zh; and every problem code the code can produce has a
//! message.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGS: [&str; 4] = ["kk", "ru", "en", "zh"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Message id (and `.attribute` ids) → the variables it uses, for one Fluent file.
fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts_entry && let Some((id, _)) = line.split_once('=') {
            current = Some(id.trim().to_owned());
            out.entry(id.trim().to_owned()).or_default();
        } else if line.starts_with('#') || line.trim().is_empty() {
            if line.trim().is_empty() {
                continue;
            }
            current = None;
            continue;
        }
        let Some(id) = &current else { continue };
        let vars = out.get_mut(id).expect("entry");
        let mut rest = line;
        while let Some(i) = rest.find('$') {
            rest = &rest[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() {
                vars.insert(name);
            }
        }
    }
    out
}

fn ftl_files(lang: &str) -> BTreeMap<String, String> {
    let dir = root().join("locales").join(lang);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_language_has_every_message_with_the_same_placeholders() {
    let en = ftl_files("en");
    assert!(!en.is_empty(), "no English Fluent files");
    let mut problems = Vec::new();
    for lang in LANGS {
        let files = ftl_files(lang);
        let names: BTreeSet<_> = files.keys().collect();
        let en_names: BTreeSet<_> = en.keys().collect();
        if names != en_names {
            problems.push(format!("{lang}: files {names:?}, English has {en_names:?}"));
        }
        for (file, en_text) in &en {
            let want = messages(en_text);
            let have = files.get(file).map(|t| messages(t)).unwrap_or_default();
            for (id, vars) in &want {
                match have.get(id) {
                    None => problems.push(format!("{lang}/{file}: `{id}` is missing")),
                    Some(v) if v != vars => problems.push(format!(
                        "{lang}/{file}: `{id}` uses {v:?}, English uses {vars:?}"
                    )),
                    Some(_) => {}
                }
            }
            for id in have.keys().filter(|id| !want.contains_key(*id)) {
                problems.push(format!("{lang}/{file}: `{id}` is not in English"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Literals that look like codes but are not: audit actions, field paths, file names.
const NOT_CODES: &[&str] = &[
    "application.assign",
    "application.create",
    "application.purge",
    "application.remind_expiry",
    "arrival.confirm",
    "arrival.create",
    "arrival.flag_late",
    "arrival.purge",
    "arrival.remind",
    "auth.login",
    "auth.password_accepted",
    "auth.recovery_code_used",
    "auth.second_factor_enabled",
    "auth.second_factor_reset",
    "case.read",
    "collection.at",
    "collection.place",
    "collection.time",
    "document.add",
    "document.read",
    "mrz.document_number",
    "mrz.expiry_date",
    "mrz.nationality",
    "policy.replace",
    "policy.replace_failed",
    "policy.toml",
];

/// The areas problem codes belong to.
const AREAS: &[&str] = &[
    "access_code",
    "account",
    "action",
    "application",
    "arrival",
    "auth",
    "body",
    "case",
    "collection",
    "csv",
    "cursor",
    "date",
    "document",
    "email",
    "field",
    "host_kind",
    "language",
    "mrz",
    "nationality",
    "passport",
    "permit_type",
    "phone",
    "policy",
    "reason",
    "receipt",
    "request",
    "sex",
    "state",
    "stay",
    "time",
    "upload",
    "validity",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_problem_code_in_the_code_has_a_message() {
    let mut files = Vec::new();
    for krate in ["tirkeu-core", "tirkeu-store", "tirkeu-server", "tirkeu"] {
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
    }
    let mut codes = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for literal in text.split('"').skip(1).step_by(2) {
            let area = literal.split('.').next().unwrap_or("");
            if AREAS.contains(&area)
                && tirkeu_core::problem::is_code(literal)
                && !NOT_CODES.contains(&literal)
            {
                codes.insert(literal.to_owned());
            }
        }
    }
    assert!(codes.len() > 50, "the scan found too few codes: {codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !tirkeu_server::i18n::has(&tirkeu_core::problem::message_id(c)))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an English message (add them to locales/*/*.ftl, or to NOT_CODES if \
         they are not problem codes): {missing:?}"
    );
}
