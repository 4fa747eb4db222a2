//! A backend-neutral description of the database schema, so that a test can migrate both
//! backends and compare them: per-backend migration trees drift apart otherwise.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// A column type reduced to what matters across backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Family {
    Integer,
    Text,
    Boolean,
    Real,
    Other,
}

impl Family {
    /// The family of a declared SQLite type or a PostgreSQL `data_type`.
    pub fn of(declared: &str) -> Family {
        let t = declared.to_ascii_lowercase();
        if t.contains("bool") {
            Family::Boolean
        } else if t.contains("int") {
            Family::Integer
        } else if t.contains("char") || t.contains("text") || t.contains("clob") {
            Family::Text
        } else if t.contains("real")
            || t.contains("double")
            || t.contains("float")
            || t.contains("numeric")
        {
            Family::Real
        } else {
            Family::Other
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Column {
    pub family: Family,
    pub not_null: bool,
    pub primary_key: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Index {
    pub columns: Vec<String>,
    pub unique: bool,
    pub partial: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// Secondary indexes, including those behind UNIQUE constraints (not the primary key).
    pub indexes: BTreeSet<Index>,
    /// `(column, referenced table, referenced column)`.
    pub foreign_keys: BTreeSet<(String, String, String)>,
    pub check_constraints: usize,
}

/// Every table of the application (migration bookkeeping excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

impl Schema {
    /// Human-readable differences between two schemas; empty when they match.
    #[allow(clippy::many_single_char_names)]
    pub fn differences(&self, other: &Schema, a: &str, b: &str) -> Vec<String> {
        let mut out = Vec::new();
        let names: BTreeSet<&String> = self.tables.keys().chain(other.tables.keys()).collect();
        for name in names {
            match (self.tables.get(name), other.tables.get(name)) {
                (Some(_), None) => out.push(format!("table {name} only in {a}")),
                (None, Some(_)) => out.push(format!("table {name} only in {b}")),
                (Some(x), Some(y)) => {
                    let cols: BTreeSet<&String> =
                        x.columns.keys().chain(y.columns.keys()).collect();
                    for c in cols {
                        match (x.columns.get(c), y.columns.get(c)) {
                            (Some(p), Some(q)) if p != q => {
                                out.push(format!("{name}.{c}: {a} {p:?}, {b} {q:?}"));
                            }
                            (Some(_), None) => out.push(format!("{name}.{c} only in {a}")),
                            (None, Some(_)) => out.push(format!("{name}.{c} only in {b}")),
                            _ => {}
                        }
                    }
                    for i in x.indexes.symmetric_difference(&y.indexes) {
                        let side = if x.indexes.contains(i) { a } else { b };
                        out.push(format!("{name}: index {i:?} only in {side}"));
                    }
                    for f in x.foreign_keys.symmetric_difference(&y.foreign_keys) {
                        let side = if x.foreign_keys.contains(f) { a } else { b };
                        out.push(format!("{name}: foreign key {f:?} only in {side}"));
                    }
                    if x.check_constraints != y.check_constraints {
                        out.push(format!(
                            "{name}: {} CHECK constraints in {a}, {} in {b}",
                            x.check_constraints, y.check_constraints
                        ));
                    }
                }
                (None, None) => {}
            }
        }
        out
    }
}
