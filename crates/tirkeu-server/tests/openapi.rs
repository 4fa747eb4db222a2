//! The OpenAPI document is pinned: a change to the API shows up as a snapshot diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test -p tirkeu-server --test openapi`).
//! It is also valid OpenAPI 3.1, checked here by the rules generated clients rely on and, where
//! Python's `openapi-spec-validator` is installed (CI installs it), by that validator.

use std::collections::BTreeSet;

use serde_json::Value;

fn doc() -> Value {
    serde_json::from_str(&tirkeu_server::openapi_json()).unwrap()
}

/// Every operation with its method and path.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .filter(|(m, _)| ["get", "put", "post", "delete", "patch"].contains(&m.as_str()))
                .map(move |(m, op)| (format!("{m} {path}"), op))
        })
        .collect()
}

#[test]
fn openapi_document_is_pinned() {
    let doc = doc();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25, "{} paths", paths.len());
    insta::assert_json_snapshot!("openapi", doc);
}

#[test]
fn every_operation_is_named_once_and_every_answer_described() {
    let doc = doc();
    let mut ids = BTreeSet::new();
    for (name, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no id"));
        assert!(
            ids.insert(id.to_owned()),
            "{name}: operationId `{id}` used twice"
        );
        let responses = op["responses"].as_object().unwrap();
        for (status, r) in responses {
            let description = r["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{name} {status}: no description");
            if !status.starts_with('2') {
                let types: Vec<&String> = r["content"].as_object().unwrap().keys().collect();
                assert_eq!(types, ["application/problem+json"], "{name} {status}");
            }
        }
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        assert!(!secured || responses.contains_key("401"), "{name}: no 401");
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415"] {
                assert!(responses.contains_key(status), "{name}: no {status}");
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(tirkeu_openapi_validator),
    ignore = "OpenAPI validator not configured: `pip install openapi-spec-validator` and set TIRKEU_TEST_OPENAPI_PYTHON=python3"
)]
fn the_document_passes_openapi_spec_validator() {
    let python = std::env::var("TIRKEU_TEST_OPENAPI_PYTHON").unwrap_or_else(|_| "python3".into());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), tirkeu_server::openapi_json()).unwrap();
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys\n\
             from openapi_spec_validator import OpenAPIV31SpecValidator\n\
             errors = list(OpenAPIV31SpecValidator(json.load(open(sys.argv[1]))).iter_errors())\n\
             for e in errors: print(e.message)\n\
             sys.exit(1 if errors else 0)",
            file.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
