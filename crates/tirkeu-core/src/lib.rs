//! tirkeu core
