//! Every problem code the core reports, and the general ones the doors report, has a message
//! in `locales/{kk,ru,en,zh}/errors.ftl`, with the same variables in every language; the files
//! parse as Fluent, format without errors, and pluralise numbers by each language's rules.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use tirkeu_core::problem::message_id;
use unic_langid::LanguageIdentifier;

const LANGS: [&str; 4] = ["kk", "ru", "en", "zh"];

/// Codes the doors report themselves (the server and the CLI), with the core's.
const GENERAL: &[&str] = &[
    "field.required",
    "field.too_long",
    "date.invalid",
    "date.not_past",
    "time.invalid",
    "time.future",
    "language.unknown",
    "permit_type.unknown",
    "reason.required",
    "reason.not_for_action",
    "reason.unknown",
    "validity.from_required",
    "validity.until_required",
    "validity.before_from",
    "validity.too_long",
    "collection.required",
    "collection.place_empty",
    "document.missing",
    "action.unknown",
    "body.invalid",
];

/// Variables that hold numbers; the others hold text.
const NUMBERS: [&str; 3] = ["max", "line", "column"];

fn all_codes() -> BTreeSet<&'static str> {
    GENERAL
        .iter()
        .chain(tirkeu_core::person::CODES)
        .chain(tirkeu_core::mrz::CODES)
        .copied()
        .collect()
}

fn source(lang: &str) -> String {
    let path = format!(
        "{}/../../locales/{lang}/errors.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Message id → the variables it names, read from the text: a message starts at a line
/// `id = ...` and continues on indented lines.
fn variables(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_lowercase()) {
            let (id, _) = line.split_once(" = ").expect("`id = value`");
            current = Some(id.to_owned());
            out.insert(id.to_owned(), BTreeSet::new());
        } else if !line.starts_with(' ') {
            current = None;
        }
        if let Some(id) = &current {
            for (i, _) in line.match_indices('$') {
                let name: String = line[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.get_mut(id).unwrap().insert(name);
            }
        }
    }
    out
}

fn bundle(lang: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source(lang))
        .unwrap_or_else(|(_, errors)| panic!("{lang}/errors.ftl does not parse: {errors:?}"));
    let id: LanguageIdentifier = lang.parse().unwrap();
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|e| panic!("{lang}: {e:?}"));
    bundle
}

fn format(bundle: &FluentBundle<FluentResource>, id: &str, args: &FluentArgs) -> String {
    let message = bundle
        .get_message(id)
        .unwrap_or_else(|| panic!("{id} missing"));
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(message.value().expect("a value"), Some(args), &mut errors)
        .into_owned();
    assert!(errors.is_empty(), "{id}: {errors:?}");
    text
}

#[test]
fn every_code_has_a_message_in_every_language_with_the_same_variables() {
    let codes = all_codes();
    let ids: BTreeSet<String> = codes.iter().map(|c| message_id(c)).collect();
    let english = variables(&source("en"));
    for lang in LANGS {
        let vars = variables(&source(lang));
        let present: BTreeSet<String> = vars.keys().cloned().collect();
        assert_eq!(
            present, ids,
            "{lang}: messages differ from the codes (left: file, right: codes)"
        );
        for (id, names) in &vars {
            assert_eq!(names, &english[id], "{lang}: {id} names other variables");
        }
    }
}

#[test]
fn every_message_formats_in_every_language() {
    let english = variables(&source("en"));
    for lang in LANGS {
        let bundle = bundle(lang);
        for (id, names) in &english {
            let mut args = FluentArgs::new();
            for name in names {
                if NUMBERS.contains(&name.as_str()) {
                    args.set(name.clone(), 7);
                } else {
                    args.set(name.clone(), format!("<{name}>"));
                }
            }
            let text = format(&bundle, id, &args);
            assert!(!text.trim().is_empty(), "{lang}: {id} is empty");
            assert!(!text.contains('{'), "{lang}: {id}: {text}");
            for name in names {
                let shown = if NUMBERS.contains(&name.as_str()) {
                    "7".to_owned()
                } else {
                    format!("<{name}>")
                };
                assert!(
                    text.contains(&shown),
                    "{lang}: {id} does not show ${name}: {text}"
                );
            }
        }
    }
}

/// A language, a message, and how it ends for some values of `$max`.
type Plurals = (&'static str, &'static str, &'static [(i64, &'static str)]);

#[test]
fn numbers_take_each_languages_plural_forms() {
    let cases: [Plurals; 4] = [
        (
            "en",
            "error-field-too_long",
            &[(1, "1 character."), (20, "20 characters.")],
        ),
        (
            "ru",
            "error-field-too_long",
            &[
                (1, "1 символ."),
                (2, "2 символа."),
                (5, "5 символов."),
                (21, "21 символ."),
                (24, "24 символа."),
                (100, "100 символов."),
            ],
        ),
        (
            "ru",
            "error-validity-too_long",
            &[(1, "1 день."), (3, "3 дня."), (365, "365 дней.")],
        ),
        (
            "en",
            "error-validity-too_long",
            &[(1, "1 day."), (90, "90 days.")],
        ),
    ];
    for (lang, id, expectations) in cases {
        let bundle = bundle(lang);
        for (max, ending) in expectations {
            let mut args = FluentArgs::new();
            args.set("max", *max);
            let text = format(&bundle, id, &args);
            assert!(text.ends_with(ending), "{lang} {id} {max}: {text}");
        }
    }
}
