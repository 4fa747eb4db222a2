//! The policy file: the default loads, and broken files are refused with the line, the field
//! and the reason.

use jiff::civil::date;
use tirkeu_core::deadline::DeadlineRule;
use tirkeu_core::money::Amount;
use tirkeu_core::policy::{Policy, PolicyError, PolicyIssue};
use tirkeu_core::text::Lang;

const SMALL: &str = include_str!("data/small-policy.toml");

fn refuse(src: &str) -> PolicyError {
    Policy::from_toml(src).expect_err("the policy should be refused")
}

/// Replaces the first occurrence of `from`, failing loudly when the fixture changed.
fn edit(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "fixture lacks {from:?}");
    SMALL.replacen(from, to, 1)
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn the_small_policy_loads_and_answers() {
    let p = Policy::from_toml(SMALL).unwrap();
    assert_eq!(p.doc().meta.id, "test");
    assert_eq!(p.permit_type("work").unwrap().fee, Amount::Mci(0.5));
    assert!(p.permit_type("study").is_none());
    assert_eq!(
        p.stay_rule_for("deu", date(2026, 1, 1)).unwrap().id,
        "visa_free"
    );
    assert_eq!(p.stay_rule_for("RUS", date(2026, 1, 1)).unwrap().id, "eaeu");
    assert_eq!(
        p.stay_rule_for("CHN", date(2026, 1, 1)).unwrap().id,
        "default"
    );
    // Before the named rule takes effect, the default applies.
    assert_eq!(
        p.stay_rule_for("DEU", date(2019, 12, 31)).unwrap().id,
        "default"
    );
    assert_eq!(
        p.doc().arrival_notification.deadline,
        DeadlineRule::WorkingDays(3)
    );
    // The file is kept as written, comments and all, for an administrator to download.
    assert_eq!(p.toml(), SMALL);
    assert!(!p.is_default());
    assert!(Policy::default_kz().is_default());
}

#[test]
fn a_syntax_error_names_the_line() {
    let src = edit("max_validity_days = 1095", "max_validity_days = = 1095");
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].line, Some(line_of(&src, "= = 1095")));
}

#[test]
fn a_wrong_type_names_the_line_and_the_field() {
    let src = edit("processing_days = 15", "processing_days = \"fifteen\"");
    let e = refuse(&src);
    let i = &e.issues[0];
    assert_eq!(i.line, Some(line_of(&src, "\"fifteen\"")));
    assert_eq!(i.field, "permit_types[0].processing_days");
    assert!(
        i.message.contains("expected a whole number"),
        "{}",
        i.message
    );
}

#[test]
fn an_unknown_key_is_refused() {
    let src = edit(
        "processing_days = 15",
        "processing_days = 15\nprocesing_days = 15",
    );
    let e = refuse(&src);
    let i = &e.issues[0];
    assert!(i.message.contains("procesing_days"), "{}", i.message);
    assert_eq!(i.line, Some(line_of(&src, "procesing_days")));
}

#[test]
fn a_missing_language_is_refused() {
    let src = edit(
        r#"name = { kk = "Фото", ru = "Фото", en = "Photo", zh = "照片" }"#,
        r#"name = { kk = "Фото", ru = "Фото", en = "Photo" }"#,
    );
    let e = refuse(&src);
    assert!(e.issues[0].message.contains("zh"), "{e}");
    assert_eq!(e.issues[0].line, Some(line_of(&src, r#"en = "Photo" }"#)));
    let src = edit(r#"en = "Photo", zh = "照片""#, r#"en = "Photo", zh = " ""#);
    let e = refuse(&src);
    assert_eq!(e.issues[0].field, "documents[1].name.zh");
    assert_eq!(e.issues[0].line, Some(line_of(&src, r#"zh = " ""#)));
}

#[test]
fn sense_checks_name_the_field_and_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            r#"{ id = "photo", required = false }"#,
            r#"{ id = "foto", required = false }"#,
            "permit_types[0].documents[1].id",
            "not one of the [[documents]]",
        ),
        (
            "window_days = 180\nper_entry_days = 30",
            "window_days = 0\nper_entry_days = 30",
            "stay_rules[0].window_days",
            "positive",
        ),
        (
            "limit_days = 30\nwindow_days = 180",
            "limit_days = 200\nwindow_days = 180",
            "stay_rules[2].limit_days",
            "never bind",
        ),
        (
            "time_zone = \"Asia/Almaty\"",
            "time_zone = \"Asia/Alma-Ata\"",
            "meta.time_zone",
            "IANA",
        ),
        (
            "days = [\"01-01\", \"01-02\"]",
            "days = [\"01-01\", \"02-30\"]",
            "calendar.holidays[0].days[1]",
            "02-30",
        ),
        (
            "days_off = [2025-01-03]",
            "days_off = [2026-01-03]",
            "calendar.adjustments[0].days_off[0]",
            "not in 2025",
        ),
        (
            "host_kind = \"large_business\"",
            "host_kind = \"big_business\"",
            "fines[1].host_kind",
            "host_kinds",
        ),
        (
            "days_over_from = 11",
            "days_over_from = 5",
            "fines[3].days_over_from",
            "overlaps fines[2]",
        ),
        (
            "\"application/pdf\", \"image/jpeg\"]",
            "\"application/pdf\", \"application/zip\"]",
            "documents[0].content_types[1]",
            "not accepted",
        ),
        (
            "fee = { mci = 0.5 }",
            "fee = { mci = 0.125 }",
            "permit_types[0].fee",
            "two decimals",
        ),
        (
            "actions = [\"request_info\", \"reject\"]",
            "actions = [\"request_info\", \"approve\"]",
            "reasons[0].actions[1]",
            "approve",
        ),
        (
            "nationalities = [\"RUS\"]",
            "nationalities = [\"RU\"]",
            "stay_rules[1].nationalities[0]",
            "alpha-3",
        ),
        (
            "nationalities = [\"RUS\"]",
            "nationalities = [\"DEU\"]",
            "stay_rules[1].nationalities[0]",
            "also in stay_rules[0]",
        ),
    ];
    for (from, to, field, words) in cases {
        let src = edit(from, to);
        let e = refuse(&src);
        let i = e
            .issues
            .iter()
            .find(|i| i.field == *field)
            .unwrap_or_else(|| panic!("no issue for {field}: {e}"));
        assert!(i.message.contains(words), "{field}: {}", i.message);
        let first_line_of_edit = to.lines().next().unwrap();
        let changed = to
            .lines()
            .find(|l| !from.contains(l))
            .unwrap_or(first_line_of_edit);
        assert_eq!(i.line, Some(line_of(&src, changed)), "{field}: {e}");
    }
}

#[test]
fn a_holiday_applies_only_from_and_until_its_years() {
    let src = edit(
        "days = [\"01-01\", \"01-02\"]",
        "days = [\"01-01\", \"01-02\"]\nfrom_year = 2026",
    );
    let p = Policy::from_toml(&src).unwrap();
    // Thursday 2 January 2025 is an ordinary working day before the holiday exists; Friday
    // 2 January 2026 is a day off.
    assert!(p.calendar().is_working_day(date(2025, 1, 2)).unwrap());
    assert!(!p.calendar().is_working_day(date(2026, 1, 2)).unwrap());
    let src = edit(
        "days = [\"01-01\", \"01-02\"]",
        "days = [\"01-01\", \"01-02\"]\nuntil_year = 2025",
    );
    let p = Policy::from_toml(&src).unwrap();
    assert!(!p.calendar().is_working_day(date(2025, 1, 2)).unwrap());
    assert!(p.calendar().is_working_day(date(2026, 1, 2)).unwrap());
    // Dated days follow the same bounds.
    let src = edit(
        "dates = [2025-06-06, 2026-05-27]",
        "dates = [2025-06-06, 2026-05-27]\nuntil_year = 2025",
    );
    let p = Policy::from_toml(&src).unwrap();
    assert!(!p.calendar().is_working_day(date(2025, 6, 6)).unwrap());
    assert!(p.calendar().is_working_day(date(2026, 5, 27)).unwrap());
    // Bounds the wrong way round are refused with their line and field.
    let src = edit(
        "days = [\"01-01\", \"01-02\"]",
        "days = [\"01-01\", \"01-02\"]\nfrom_year = 2026\nuntil_year = 2025",
    );
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1, "{e}");
    let i = &e.issues[0];
    assert_eq!(i.field, "calendar.holidays[0].until_year");
    assert!(
        i.message.contains("before from_year (2026)"),
        "{}",
        i.message
    );
    assert_eq!(i.line, Some(line_of(&src, "until_year = 2025")));
}

#[test]
fn a_missing_default_rule_is_refused() {
    let src = edit("default = true", "default = false");
    let e = refuse(&src);
    assert!(
        e.to_string()
            .contains("exactly one rule must have default = true"),
        "{e}"
    );
}

#[test]
fn the_default_policy_loads_and_covers_what_the_law_needs() {
    let p = Policy::default_kz();
    assert_eq!(p.doc().meta.time_zone, "Asia/Almaty");
    assert_eq!(
        p.doc().arrival_notification.deadline,
        DeadlineRule::WorkingDays(3)
    );
    for t in [
        "work",
        "study",
        "investment",
        "long_stay_visitor",
        "family",
        "permanent_residence",
    ] {
        assert!(p.permit_type(t).is_some(), "missing card type {t}");
    }
    assert_eq!(p.calendar().covered_years(), (2025, 2027));
    assert_eq!(p.to_kzt(Amount::Mci(1.0), date(2025, 5, 1)), Ok(3932));
    // 2026 Nauryz: 21 (Sat) and 22 (Sun) move to 24 and 25 March.
    let cal = p.calendar();
    for d in 21..=25 {
        assert!(
            !cal.is_working_day(date(2026, 3, d)).unwrap(),
            "2026-03-{d}"
        );
    }
    assert!(cal.is_working_day(date(2026, 3, 26)).unwrap());
    // Every host kind has a late-notification fine (the validator insists).
    for k in &p.doc().host_kinds {
        let a = p
            .assess_notification(
                "2026-02-02T04:00:00Z".parse().unwrap(),
                Some("2026-03-02T04:00:00Z".parse().unwrap()),
                &k.id,
                None,
            )
            .unwrap();
        assert!(a.late && a.fine.is_some(), "{}", k.id);
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let src = edit("processing_days = 15", "processing_days = 0").replacen(
        "max_size_mb = 5",
        "max_size_mb = 0",
        1,
    );
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 2, "{e}");
    assert!(e.to_string().starts_with("the policy has 2 problems"));
}

#[test]
fn fines_for_late_notification_and_overstay() {
    let p = Policy::from_toml(SMALL).unwrap();
    // Arrival Wed 2025-12-24 10:00 local; 3 working days: Thu 25, Fri 26, Mon 29 → 29 Dec 23:59:59.
    let arrival = "2025-12-24T05:00:00Z".parse().unwrap();
    let on_time = p
        .assess_notification(
            arrival,
            Some("2025-12-29T18:00:00Z".parse().unwrap()),
            "individual",
            None,
        )
        .unwrap();
    assert!(!on_time.late);
    assert_eq!(on_time.fine, None);
    let late = p
        .assess_notification(
            arrival,
            Some("2025-12-30T04:00:00Z".parse().unwrap()),
            "individual",
            None,
        )
        .unwrap();
    assert!(late.late);
    let fine = late.fine.unwrap();
    assert_eq!(
        (fine.fine_id.as_str(), fine.kzt, fine.date),
        ("late_individual", 39_320, date(2025, 12, 30))
    );
    let big = p
        .assess_notification(
            arrival,
            Some("2026-01-10T00:00:00Z".parse().unwrap()),
            "large_business",
            Some(DeadlineRule::Hours(72)),
        )
        .unwrap();
    assert_eq!(big.fine.unwrap().kzt, 393_200);
    assert!(p.assess_notification(arrival, None, "hotel", None).is_err());

    assert_eq!(p.overstay_fine(0, date(2026, 1, 1)).unwrap(), None);
    assert_eq!(
        p.overstay_fine(10, date(2026, 1, 1)).unwrap().unwrap().kzt,
        43_250
    );
    assert_eq!(
        p.overstay_fine(11, date(2026, 1, 1)).unwrap().unwrap().kzt,
        100_000
    );
    assert!(p.overstay_fine(3, date(2027, 1, 1)).is_err());
}

#[test]
fn reasons_validity_and_due_dates() {
    use tirkeu_core::lifecycle::Action;
    let p = Policy::from_toml(SMALL).unwrap();
    assert_eq!(
        p.check_reason(Action::Reject, Some("missing_document")),
        Ok(())
    );
    assert_eq!(p.check_reason(Action::Reject, None), Ok(()));
    let e = p
        .check_reason(Action::Revoke, Some("missing_document"))
        .unwrap_err();
    assert_eq!(
        (e.code, e.param("action")),
        ("reason.not_for_action", Some("revoke"))
    );
    let e = p.check_reason(Action::Reject, Some("nope")).unwrap_err();
    assert_eq!(e.code, "reason.unknown");
    assert!(e.param("known").unwrap().starts_with("missing_document"));
    // Free text is not refused for actions that take no reason code.
    assert_eq!(
        p.check_reason(Action::StartReview, Some("looks fine")),
        Ok(())
    );

    assert_eq!(
        p.check_validity("work", date(2026, 1, 1), date(2028, 12, 30)),
        Ok(())
    );
    let e = p
        .check_validity("work", date(2026, 1, 1), date(2028, 12, 31))
        .unwrap_err();
    assert_eq!(
        (e.code, e.param("max")),
        ("validity.too_long", Some("1095"))
    );

    // Submitted Friday 2026-05-22 10:00 local; 15 working days with Kurban Ait on Wed 27 May:
    // 25, 26, 28, 29 May, 1–5, 8–12 June, 15 June → due 15 June 23:59:59 local.
    let due = p.processing_due("work", "2026-05-22T05:00:00Z".parse().unwrap());
    assert_eq!(
        due,
        "2026-06-15T18:59:59Z".parse::<jiff::Timestamp>().unwrap()
    );
    // Beyond the calendar: 15 working days counted as 21 calendar days.
    let late = p.processing_due("work", "2027-06-01T00:00:00Z".parse().unwrap());
    assert_eq!(
        late,
        "2027-06-22T00:00:00Z".parse::<jiff::Timestamp>().unwrap()
    );
}

#[test]
fn the_default_policy_finds_each_office_by_every_spelling() {
    let p = Policy::default_kz();
    let cases: &[(&str, &[&str])] = &[
        (
            "astana",
            &[
                "astana",
                "Астана",
                "астана",
                "nur-sultan",
                "Nur-Sultan",
                "Нұр-Сұлтан",
                "Нур-Султан",
                " АСТАНА ",
                "\tAstana\n",
                "阿斯塔纳",
            ],
        ),
        ("shymkent", &["shymkent", "Шымкент", "SHYMKENT", "Chimkent"]),
        (
            "karaganda",
            &[
                "karaganda",
                "Караганда",
                "қарағанды",
                "ҚАРАҒАНДЫ",
                "Qaraghandy",
                "Karagandy",
                "Карагандинская область",
            ],
        ),
        (
            "aktobe",
            &[
                "aktobe",
                "Актобе",
                "ақтөбе",
                "Ақтөбе",
                "Aqtöbe",
                "AQTÖBE",
                "Актюбинск",
            ],
        ),
        ("almaty", &["almaty", "Алматы", "Alma-Ata", " алматы "]),
    ];
    for (id, spellings) in cases {
        for s in *spellings {
            assert_eq!(p.office_for_place(s).id, *id, "{s:?}");
        }
    }
    // Anything unlisted goes to the default office, as it did before offices were policy.
    for unknown in [
        "Pavlodar",
        "Павлодар",
        "",
        "   ",
        "astana city",
        "Nur Sultan City",
    ] {
        assert_eq!(p.office_for_place(unknown).id, "almaty", "{unknown:?}");
    }
    assert!(p.office("almaty").unwrap().default);
    assert!(p.office("Almaty").is_none());
    assert!(p.office("pavlodar").is_none());
    assert_eq!(
        p.office_name("almaty", Lang::Ru),
        Some("Управление миграционной службы Департамента полиции города Алматы")
    );
    assert_eq!(
        p.office_name("aktobe", Lang::Zh),
        Some("阿克托别州警察局移民服务局")
    );
    assert_eq!(p.office_name("nowhere", Lang::En), None);
    for o in &p.doc().offices {
        assert!(o.name.blank_languages().is_empty(), "{}", o.id);
        assert!(o.address.blank_languages().is_empty(), "{}", o.id);
        assert!(!o.source.trim().is_empty(), "{}", o.id);
    }
}

#[test]
fn the_small_policy_finds_its_offices() {
    let p = Policy::from_toml(SMALL).unwrap();
    assert_eq!(p.office_for_place("  nur-SULTAN ").id, "capital");
    assert_eq!(p.office_for_place("АСТАНА").id, "capital");
    assert_eq!(p.office_for_place("Shymkent").id, "south");
    let capital = p.office("capital").unwrap();
    assert!(capital.serves_place(" astana"));
    assert!(!capital.serves_place("Almaty"));
    assert_eq!(capital.name.get(Lang::En), "Astana office");
    assert_eq!(p.office_name("south", Lang::Kk), Some("Алматы кеңсесі"));
}

/// The issue for `field`, failing with every issue when there is none.
fn issue_for<'a>(e: &'a PolicyError, field: &str) -> &'a PolicyIssue {
    e.issues
        .iter()
        .find(|i| i.field == field)
        .unwrap_or_else(|| panic!("no issue for {field}: {e}"))
}

#[test]
fn a_duplicate_or_empty_office_id_is_refused() {
    let src = edit(r#"id = "south""#, r#"id = "capital""#);
    let e = refuse(&src);
    let i = issue_for(&e, "offices[1].id");
    assert!(i.message.contains("`capital` is used twice"), "{e}");
    assert_eq!(i.line, Some(line_of(SMALL, r#"id = "south""#)));

    let src = edit(r#"id = "capital""#, r#"id = """#);
    let e = refuse(&src);
    let i = issue_for(&e, "offices[0].id");
    assert!(i.message.contains("is not an id"), "{e}");
    assert_eq!(i.line, Some(line_of(&src, r#"id = """#)));
}

#[test]
fn exactly_one_office_is_the_default() {
    // Two defaults: the second is named, with the first.
    let src = edit(
        r#"serves = ["Astana", "Астана", "Nur-Sultan"]"#,
        "serves = [\"Astana\", \"Астана\", \"Nur-Sultan\"]\ndefault = true",
    );
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1, "{e}");
    let i = issue_for(&e, "offices[1].default");
    assert!(i.message.contains("offices[0] (`capital`)"), "{e}");
    assert_eq!(i.line, Some(line_of(&src, r#"serves = ["Almaty"]"#) + 1));

    // None: the list is named, at its first office.
    let src = edit(
        "serves = [\"Almaty\"]\ndefault = true",
        "serves = [\"Almaty\"]",
    );
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1, "{e}");
    let i = issue_for(&e, "offices");
    assert!(
        i.message
            .contains("exactly one office must have default = true"),
        "{e}"
    );
    assert_eq!(i.line, Some(line_of(&src, "[[offices]]")));
}

#[test]
fn a_place_served_by_two_offices_names_both() {
    let src = edit(
        r#"serves = ["Almaty"]"#,
        r#"serves = ["Almaty", " ASTANA "]"#,
    );
    let e = refuse(&src);
    let i = issue_for(&e, "offices[1].serves[1]");
    assert!(
        i.message.contains("offices[0] (`capital`") && i.message.contains("offices[1] (`south`)"),
        "{e}"
    );
    assert_eq!(i.line, Some(line_of(&src, r#"" ASTANA ""#)));

    let src = edit(r#"serves = ["Almaty"]"#, r#"serves = ["Almaty", "almaty"]"#);
    let i = issue_for(&refuse(&src), "offices[1].serves[1]").clone();
    assert!(i.message.contains("listed twice"), "{}", i.message);

    let src = edit(r#"serves = ["Almaty"]"#, r#"serves = ["Almaty", "  "]"#);
    let i = issue_for(&refuse(&src), "offices[1].serves[1]").clone();
    assert!(i.message.contains("empty"), "{}", i.message);

    // Only the default office may serve nothing by name.
    let src = edit(
        r#"serves = ["Astana", "Астана", "Nur-Sultan"]"#,
        "serves = []",
    );
    let e = refuse(&src);
    let i = issue_for(&e, "offices[0].serves");
    assert!(i.message.contains("at least one place"), "{e}");
    assert_eq!(i.line, Some(line_of(&src, "serves = []")));
}

#[test]
fn an_office_name_in_every_language() {
    let src = edit(
        r#"en = "Astana office", zh = "阿斯塔纳办公室" }"#,
        r#"en = "Astana office" }"#,
    );
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1, "{e}");
    assert_eq!(e.issues[0].field, "offices[0].name");
    assert!(e.issues[0].message.contains("zh"), "{e}");
    assert_eq!(
        e.issues[0].line,
        Some(line_of(&src, r#"en = "Astana office" }"#))
    );

    let src = edit(r#"zh = "阿斯塔纳办公室""#, r#"zh = " ""#);
    let e = refuse(&src);
    let i = issue_for(&e, "offices[0].name.zh");
    assert!(i.message.contains("empty"), "{e}");
    assert_eq!(i.line, Some(line_of(&src, r#"zh = " ""#)));

    let src = edit(r#"ru = "Алматы, 2""#, r#"ru = """#);
    let e = refuse(&src);
    let i = issue_for(&e, "offices[1].address.ru");
    assert_eq!(i.line, Some(line_of(&src, r#"ru = """#)));
}

#[test]
fn a_policy_without_offices_says_what_to_add() {
    let start = SMALL.find("[[offices]]").unwrap();
    let end = SMALL.find("[[documents]]").unwrap();
    let src = format!("{}{}", &SMALL[..start], &SMALL[end..]);
    let e = refuse(&src);
    assert_eq!(e.issues.len(), 1, "{e}");
    let i = issue_for(&e, "offices");
    assert!(i.message.contains("at least one office"), "{e}");
}
