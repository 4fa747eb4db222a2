//! MRZ reading speed: the ICAO TD3 and TD1 specimens, and a corrupted TD3.
//! Run with `cargo bench --bench mrz -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use tirkeu_core::mrz::{Mrz, check};

/// Doc 9303 Part 4, Appendix A.
const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// Doc 9303 Part 5, Appendix A.
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                   7408122F1204159UTO<<<<<<<<<<<6\n\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
/// The TD3 specimen with a wrong birth date check digit and a bad sex cell.
const TD3_CORRUPTED: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                             L898902C36UTO7408123Q1204159ZE184226B<<<<<10";

fn bench(c: &mut Criterion) {
    let today = date(2026, 5, 1);
    c.bench_function("parse TD3 specimen", |b| {
        b.iter(|| Mrz::parse(black_box(TD3), today).unwrap());
    });
    c.bench_function("parse TD1 specimen", |b| {
        b.iter(|| Mrz::parse(black_box(TD1), today).unwrap());
    });
    c.bench_function("check corrupted TD3", |b| {
        b.iter(|| check(black_box(TD3_CORRUPTED), today));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
