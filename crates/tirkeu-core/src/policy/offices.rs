//! Offices: which migration office handles an applicant, by the place they live in.
//!
//! An office lists the places it serves by name, in every spelling people write them
//! (`Astana`, `Астана`, `Nur-Sultan`, …); one office is the default for every place no
//! office lists. Places are compared after trimming, folding runs of whitespace to one space
//! and Unicode lower-casing, so ` АСТАНА ` finds the Astana office. Matching is by name, not
//! by a code, because applicants type their city; a place listed by two offices is refused
//! when the policy is checked, so the answer never depends on the order of the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Validator;
use crate::text::Localized;

/// A migration office as written in the policy (`[[offices]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub id: String,
    pub name: Localized,
    pub address: Localized,
    /// The cities and regions it handles, in any spelling; compared case-insensitively.
    #[serde(default)]
    pub serves: Vec<String>,
    /// The office for every place no office lists; exactly one office has it.
    #[serde(default)]
    pub default: bool,
    pub source: String,
}

impl Office {
    /// Whether the office lists `place` (in any case, with any surrounding whitespace).
    pub fn serves_place(&self, place: &str) -> bool {
        let key = place_key(place);
        self.serves.iter().any(|s| place_key(s) == key)
    }
}

/// The form in which place names are compared: trimmed, inner whitespace folded to one
/// space, Unicode lower case.
pub(super) fn place_key(place: &str) -> String {
    place
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Places to offices, built once from a checked policy.
#[derive(Clone, Debug, Default)]
pub(super) struct OfficeIndex {
    /// Place key to the index of the office serving it.
    places: BTreeMap<String, usize>,
    default: usize,
}

impl OfficeIndex {
    /// The index of a checked list (exactly one default, no place listed twice).
    pub(super) fn new(offices: &[Office]) -> OfficeIndex {
        let default = offices.iter().position(|o| o.default).unwrap_or(0);
        let places = offices
            .iter()
            .enumerate()
            .flat_map(|(i, o)| o.serves.iter().map(move |s| (place_key(s), i)))
            .collect();
        OfficeIndex { places, default }
    }

    /// The index of the office for `place`: the one listing it, else the default.
    pub(super) fn find(&self, place: &str) -> usize {
        self.places
            .get(&place_key(place))
            .copied()
            .unwrap_or(self.default)
    }
}

impl Validator {
    pub(super) fn offices(&mut self, offices: &[Office]) {
        if offices.is_empty() {
            self.err(
                "offices",
                "name at least one office (and make one the default)",
            );
            return;
        }
        self.ids("offices", offices.iter().map(|o| o.id.as_str()));
        let mut first_default: Option<usize> = None;
        for (i, o) in offices.iter().enumerate() {
            if !o.default {
                continue;
            }
            match first_default {
                None => first_default = Some(i),
                Some(d) => self.err(
                    format!("offices[{i}].default"),
                    format!(
                        "offices[{d}] (`{}`) is already the default; exactly one office has default = true",
                        offices[d].id
                    ),
                ),
            }
        }
        if first_default.is_none() {
            self.err(
                "offices",
                "exactly one office must have default = true (the office for every place no office lists), found 0",
            );
        }
        // Place key to (office, position in its list), for naming the first listing.
        let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, o) in offices.iter().enumerate() {
            let f = |k: &str| format!("offices[{i}].{k}");
            self.text(&f("name"), &o.name);
            self.text(&f("address"), &o.address);
            if !o.default && o.serves.is_empty() {
                self.err(
                    f("serves"),
                    "name at least one place (only the default office may list none)",
                );
            }
            for (j, place) in o.serves.iter().enumerate() {
                let field = format!("offices[{i}].serves[{j}]");
                let key = place_key(place);
                if key.is_empty() {
                    self.err(field, "the place name is empty");
                    continue;
                }
                match seen.get(&key) {
                    Some(&(other, k)) if other == i => {
                        self.err(
                            field,
                            format!("`{place}` is listed twice (also serves[{k}])"),
                        );
                    }
                    Some(&(other, k)) => {
                        self.err(
                            field,
                            format!(
                                "`{place}` is served by both offices[{other}] (`{}`, serves[{k}]) and offices[{i}] (`{}`); list it under one office",
                                offices[other].id, o.id
                            ),
                        );
                    }
                    None => {
                        seen.insert(key, (i, j));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_keys_ignore_case_and_spacing() {
        assert_eq!(place_key("  АСТАНА "), "астана");
        assert_eq!(place_key("Nur  Sultan"), "nur sultan");
        assert_eq!(place_key("ҚАРАҒАНДЫ"), "қарағанды");
        assert_eq!(place_key("AQTÖBE"), "aqtöbe");
        assert_eq!(place_key(" \t "), "");
    }
}
