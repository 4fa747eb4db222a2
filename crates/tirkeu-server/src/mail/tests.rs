use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::date;
use tirkeu_core::lifecycle::Notice;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;

use super::*;

static POLICY: LazyLock<Policy> = LazyLock::new(Policy::default_kz);
const URL: &str = "https://tirkeu.example.kz/";

fn number() -> CaseNumber {
    // 15 fixed symbols and whichever check character makes them a number.
    "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        .chars()
        .find_map(|c| CaseNumber::parse(&format!("7K2M-Q9XD-4HRT-1BW{c}")).ok())
        .expect("one check character fits")
}

/// Facts with everything a kind may show filled in.
fn full(lang: Lang, kind: MailKind) -> MailFacts {
    let policy = &*POLICY;
    MailFacts {
        case_number: Some(number()),
        permit_type: Some(policy.doc().permit_types[0].id.clone()),
        reason: Some(policy.doc().reasons[0].id.clone()),
        respond_by: Some("2026-12-21T18:59:00Z".parse().unwrap()),
        collection_at: Some("2026-12-07T13:00:00Z".parse().unwrap()),
        collection_place: Some("Window 4, ground floor".into()),
        office: Some(policy.doc().offices[0].id.clone()),
        valid_until: Some(date(2027, 12, 6)),
        days_left: Some(30),
        guest_name: Some("ZHANG WEI".into()),
        arrival_confirmation: Some("ARR-00000042".into()),
        arrived_at: Some("2026-11-20T09:30:00Z".parse().unwrap()),
        deadline_at: Some("2026-11-23T09:30:00Z".parse().unwrap()),
        fine_kzt: Some(43_250),
        fine_article: Some("Article 495(1) of the Code of Administrative Offences".into()),
        ..MailFacts::new(lang, kind)
    }
}

fn all(r: &Rendered) -> String {
    format!("{}\n{}\n{}", r.subject, r.text, r.html)
}

#[test]
fn every_kind_renders_in_every_language_without_leftovers() {
    for kind in MailKind::ALL {
        for lang in Lang::ALL {
            let r = render(&POLICY, URL, &full(lang, kind));
            let at = format!("{kind:?} {lang}");
            assert!(!r.subject.trim().is_empty(), "{at}");
            assert!(!r.subject.contains('\n'), "{at}");
            assert!(r.text.lines().count() > 8, "{at}: {}", r.text);
            assert!(r.html.contains("<h1"), "{at}");
            for (part, s) in [
                ("subject", &r.subject),
                ("text", &r.text),
                ("html", &r.html),
            ] {
                // A missing message reads "Unknown localization key"; a missing variable
                // is left as `{$name}`.
                assert!(!s.contains('{') && !s.contains('}'), "{at} {part}: {s}");
                assert!(!s.contains("Unknown"), "{at} {part}: {s}");
                assert!(!s.contains("mail-"), "{at} {part}: {s}");
            }
            if kind.to_host() {
                assert!(r.subject.contains("ZHANG WEI"), "{at}");
                assert!(r.text.contains("ARR-00000042"), "{at}");
                assert!(r.text.contains(&format!("{URL}{lang}/host")), "{at}");
                assert!(!r.text.contains(&number().to_string()), "{at}");
            } else {
                assert!(r.text.contains(&number().to_string()), "{at}");
                assert!(r.html.contains(&number().to_string()), "{at}");
                if kind != MailKind::ExpiryReminder {
                    assert!(r.subject.contains(&number().to_string()), "{at}");
                }
            }
            let html_lang = if lang == Lang::Zh {
                "zh-Hans"
            } else {
                lang.code()
            };
            assert!(
                r.html.contains(&format!("<html lang=\"{html_lang}\">")),
                "{at}"
            );
            assert_eq!(r.template_version, template_version());
        }
    }
}

#[test]
fn texts_are_in_the_recipients_language() {
    let r = |lang| render(&POLICY, URL, &full(lang, MailKind::Approved)).subject;
    let n = number();
    assert_eq!(r(Lang::En), format!("Application {n} approved"));
    assert_eq!(r(Lang::Ru), format!("Заявление {n} одобрено"));
    assert_eq!(r(Lang::Kk), format!("{n} өтініші мақұлданды"));
    assert_eq!(r(Lang::Zh), format!("申请 {n} 已批准"));
}

/// A run of 20 or more symbols of the access-code alphabet (hyphens and spaces between
/// groups ignored), as an access code (26 symbols) would appear.
fn looks_like_an_access_code(s: &str) -> bool {
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_digit() || c.is_ascii_uppercase() {
            run += 1;
            if run >= 20 {
                return true;
            }
        } else if c != '-' && c != ' ' {
            run = 0;
        }
    }
    false
}

#[test]
fn the_receipt_never_carries_an_access_code() {
    assert!(looks_like_an_access_code(
        tirkeu_core::person::AccessCode::generate().as_ref()
    ));
    assert!(!looks_like_an_access_code(&number().to_string()));
    for lang in Lang::ALL {
        let r = render(&POLICY, URL, &full(lang, MailKind::Receipt));
        assert!(!looks_like_an_access_code(&all(&r)), "{lang}: {}", r.text);
        assert!(r.text.contains(&format!("{URL}{lang}/status")), "{lang}");
    }
}

#[test]
fn what_an_officer_typed_is_escaped_in_html() {
    let mut f = full(Lang::En, MailKind::ReadyForCollection);
    f.collection_place = Some("<script>alert(1)</script> Hall \"A\" & B".into());
    let r = render(&POLICY, URL, &f);
    assert!(!r.html.contains("<script>"), "{}", r.html);
    // askama writes numeric character references.
    assert!(
        r.html
            .contains("&#60;script&#62;alert(1)&#60;/script&#62; Hall &#34;A&#34; &#38; B")
    );
    // The plain text shows it as typed.
    assert!(r.text.contains("<script>alert(1)</script> Hall \"A\" & B"));
    assert!(!r.html.contains("<img") && !r.html.to_lowercase().contains("javascript"));
}

#[test]
fn dates_and_times_are_in_the_authority_zone() {
    // 13:00 UTC is 18:00 in Asia/Almaty (UTC+5 since 2024-03-01).
    let expect = [
        (Lang::En, "7 December 2026, 18:00 (UTC+05:00, Asia/Almaty)"),
        (
            Lang::Ru,
            "7 декабря 2026 г., 18:00 (UTC+05:00, Asia/Almaty)",
        ),
        (
            Lang::Kk,
            "2026 жылғы 7 желтоқсан, 18:00 (UTC+05:00, Asia/Almaty)",
        ),
        (Lang::Zh, "2026年12月7日 18:00（UTC+05:00，Asia/Almaty）"),
    ];
    for (lang, want) in expect {
        let r = render(&POLICY, URL, &full(lang, MailKind::ReadyForCollection));
        assert!(r.text.contains(want), "{lang}: {}", r.text);
        assert!(r.html.contains(want), "{lang}");
    }
    // Before the change, Almaty was UTC+6: the zone database decides, not a fixed offset.
    let mut f = full(Lang::En, MailKind::InfoRequested);
    f.respond_by = Some("2024-02-28T20:30:00Z".parse::<Timestamp>().unwrap());
    let r = render(&POLICY, URL, &f);
    assert!(
        r.text
            .contains("29 February 2024, 02:30 (UTC+06:00, Asia/Almaty)"),
        "{}",
        r.text
    );
    assert!(r.text.contains(&format!("{URL}en/application")));
}

#[test]
fn days_left_take_each_languages_plural() {
    let subject = |lang, days| {
        let mut f = full(lang, MailKind::ExpiryReminder);
        f.days_left = Some(days);
        render(&POLICY, URL, &f).subject
    };
    assert!(subject(Lang::Ru, 1).ends_with("через 1 день"));
    assert!(subject(Lang::Ru, 3).ends_with("через 3 дня"));
    assert!(subject(Lang::Ru, 7).ends_with("через 7 дней"));
    assert!(subject(Lang::Ru, 21).ends_with("через 21 день"));
    assert!(subject(Lang::Ru, 0).ends_with("истекает сегодня"));
    assert!(subject(Lang::En, 1).ends_with("in 1 day"));
    assert!(subject(Lang::En, 30).ends_with("in 30 days"));
    assert!(subject(Lang::Kk, 7).contains("7 күннен кейін"));
    assert!(subject(Lang::Zh, 7).contains("7 天后"));
    let r = render(&POLICY, URL, &full(Lang::En, MailKind::ExpiryReminder));
    assert!(r.text.contains("6 December 2027"));
    assert!(r.text.contains(&format!("{URL}en/renew")));
}

#[test]
fn fines_are_written_as_the_host_pages_write_them() {
    let text = |lang, kzt| {
        let mut f = full(lang, MailKind::HostDeadlineMissed);
        f.fine_kzt = Some(kzt);
        render(&POLICY, URL, &f).text
    };
    assert!(text(Lang::En, 43_250).contains("43,250 tenge"));
    assert!(text(Lang::Ru, 43_250).contains("43\u{a0}250 тенге"));
    assert!(text(Lang::Zh, 43_250).contains("逾期通知罚款：43,250 坚戈"));
    assert!(text(Lang::En, 0).contains("a warning, no fine"));
    assert!(text(Lang::En, 0).contains("Article 495(1)"));
}

#[test]
fn policy_ids_are_shown_by_their_localised_names() {
    let policy = &*POLICY;
    let reason = &policy.doc().reasons[0];
    let office = &policy.doc().offices[0];
    let permit = &policy.doc().permit_types[0];
    for lang in Lang::ALL {
        let r = render(policy, URL, &full(lang, MailKind::Rejected));
        assert!(r.text.contains(reason.name.get(lang)), "{lang}");
        assert!(r.text.contains(permit.name.get(lang)), "{lang}");
        let r = render(policy, URL, &full(lang, MailKind::ReadyForCollection));
        assert!(r.text.contains(office.name.get(lang)), "{lang}");
        assert!(r.text.contains(office.address.get(lang)), "{lang}");
        assert!(r.text.contains("Window 4, ground floor"), "{lang}");
    }
    // An id the policy no longer knows is shown as it is rather than dropped.
    let mut f = full(Lang::En, MailKind::Rejected);
    f.reason = Some("retired_reason".into());
    assert!(render(policy, URL, &f).text.contains("retired_reason"));
}

#[test]
fn missing_facts_leave_their_lines_out() {
    for kind in MailKind::ALL {
        let r = render(&POLICY, URL, &MailFacts::new(Lang::En, kind));
        assert!(!r.subject.is_empty() && !r.text.is_empty(), "{kind:?}");
        assert!(
            !r.text.contains('{') && !r.text.contains("Unknown"),
            "{kind:?}"
        );
    }
    let r = render(
        &POLICY,
        URL,
        &MailFacts::new(Lang::En, MailKind::InfoRequested),
    );
    assert!(!r.text.contains("Answer by"));
    assert!(!r.text.contains("by the date above"));
    let r = render(
        &POLICY,
        URL,
        &MailFacts::new(Lang::En, MailKind::HostDeadlineMissed),
    );
    assert!(r.subject.ends_with("your guest"), "{}", r.subject);
}

#[test]
fn the_template_version_is_a_stable_hash() {
    let v = template_version();
    assert_eq!(v.len(), 12);
    assert!(v.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(v, template_version());
}

#[test]
fn outbox_kinds_name_every_message() {
    assert_eq!(
        MailKind::from_outbox_kind("notice.receipt"),
        Some(MailKind::Receipt)
    );
    assert_eq!(
        MailKind::from_outbox_kind("notice.ready_for_collection"),
        Some(MailKind::ReadyForCollection)
    );
    assert_eq!(
        MailKind::from_outbox_kind("reminder.expiry"),
        Some(MailKind::ExpiryReminder)
    );
    assert_eq!(
        MailKind::from_outbox_kind("host.deadline_approaching"),
        Some(MailKind::HostDeadlineApproaching)
    );
    assert_eq!(
        MailKind::from_outbox_kind("host.deadline_missed"),
        Some(MailKind::HostDeadlineMissed)
    );
    assert_eq!(MailKind::from_outbox_kind("notice.nonsense"), None);
    assert_eq!(MailKind::from_outbox_kind("receipt"), None);
    for kind in MailKind::ALL {
        assert_eq!(MailKind::from_outbox_kind(&kind.outbox_kind()), Some(kind));
    }
    for &n in Notice::ALL {
        let kind = MailKind::from_notice(n);
        assert_eq!(kind.notice(), Some(n));
        assert_eq!(kind.outbox_kind(), format!("notice.{}", n.as_str()));
        assert_eq!(kind.as_str(), n.as_str());
    }
}

#[test]
fn a_rendered_message_reads_well() {
    let r = render(&POLICY, URL, &full(Lang::En, MailKind::ReadyForCollection));
    insta::assert_snapshot!(
        "ready_for_collection_en_text",
        format!("Subject: {}\n\n{}", r.subject, r.text)
    );
    insta::assert_snapshot!("ready_for_collection_en_html", r.html);
    let r = render(&POLICY, URL, &full(Lang::Ru, MailKind::InfoRequested));
    insta::assert_snapshot!(
        "info_requested_ru_text",
        format!("Subject: {}\n\n{}", r.subject, r.text)
    );
}

// ---------------------------------------------------------------------------------------
// The message and the mail drop
// ---------------------------------------------------------------------------------------

fn from() -> Mailbox {
    "Tirkeu <no-reply@migration.example.kz>".parse().unwrap()
}

fn outgoing(outbox_id: i64, lang: Lang, kind: MailKind) -> Outgoing {
    Outgoing {
        outbox_id,
        to: "applicant@example.kz".into(),
        lang,
        rendered: render(&POLICY, URL, &full(lang, kind)),
    }
}

/// The header block of a formatted message, folded lines joined.
fn headers(raw: &str) -> Vec<(String, String)> {
    let head = raw.split("\r\n\r\n").next().unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            out.last_mut().unwrap().1.push_str(line);
        } else {
            let (k, v) = line.split_once(':').unwrap();
            out.push((k.to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    out
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter()
        .find(|(k, _)| k == name)
        .map_or_else(|| panic!("no {name} in {h:?}"), |(_, v)| v.as_str())
}

#[test]
fn the_message_has_the_headers_the_worker_relies_on() {
    let m = outgoing(4242, Lang::Kk, MailKind::Receipt);
    let date = std::time::UNIX_EPOCH + std::time::Duration::from_hours(500_000);
    let raw = String::from_utf8(build_message(&from(), &m, date).unwrap().formatted()).unwrap();
    let h = headers(&raw);
    assert_eq!(
        header(&h, "message-id"),
        "<4242.outbox@migration.example.kz>"
    );
    assert_eq!(header(&h, "content-language"), "kk");
    assert_eq!(header(&h, "auto-submitted"), "auto-generated");
    assert_eq!(header(&h, "to"), "applicant@example.kz");
    assert!(header(&h, "from").contains("<no-reply@migration.example.kz>"));
    assert_eq!(header(&h, "mime-version"), "1.0");
    assert!(header(&h, "date").contains("2027"), "{h:?}");
    // Kazakh in the subject is encoded (RFC 2047), never raw 8-bit in a header.
    assert!(header(&h, "subject").starts_with("=?utf-8?"), "{h:?}");
    assert!(header(&h, "content-type").starts_with("multipart/alternative"));
    let plain = raw.find("text/plain; charset=utf-8").unwrap();
    let html = raw.find("text/html; charset=utf-8").unwrap();
    assert!(
        plain < html,
        "the plain text comes first, the preferred HTML last"
    );
    assert!(raw.is_ascii(), "every part is transfer-encoded");
}

#[test]
fn an_invalid_recipient_is_a_permanent_error_naming_it() {
    let mut m = outgoing(1, Lang::En, MailKind::Receipt);
    m.to = "applicant at example".into();
    let e = build_message(&from(), &m, std::time::SystemTime::now()).unwrap_err();
    assert_eq!(e.kind(), "permanent");
    assert!(e.message().contains("applicant at example"), "{e}");
    assert!(!e.message().contains(&number().to_string()));
}

#[tokio::test]
async fn the_mail_drop_writes_one_file_per_outbox_id() {
    let dir = tempfile::tempdir().unwrap();
    let drop = MailDrop::new(dir.path().join("mail/new"), from()).unwrap();
    assert!(drop.dir().is_dir());
    drop.send(&outgoing(7, Lang::Ru, MailKind::Approved))
        .await
        .unwrap();
    let path = drop.path_for(7);
    assert_eq!(path, dir.path().join("mail/new/7.eml"));
    let raw = std::fs::read_to_string(&path).unwrap();
    let h = headers(&raw);
    assert_eq!(header(&h, "message-id"), "<7.outbox@migration.example.kz>");
    assert_eq!(header(&h, "content-language"), "ru");
    // The same outbox id again (a retry): one file, now with the second message.
    drop.send(&outgoing(7, Lang::En, MailKind::Approved))
        .await
        .unwrap();
    let names: Vec<_> = std::fs::read_dir(drop.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["7.eml"], "no second file and no temporary left");
    let raw = std::fs::read_to_string(&path).unwrap();
    assert_eq!(header(&headers(&raw), "content-language"), "en");
    // A bad address never reaches the disk.
    let mut bad = outgoing(8, Lang::En, MailKind::Approved);
    bad.to = "nobody".into();
    assert!(!drop.send(&bad).await.unwrap_err().is_temporary());
    assert!(!drop.path_for(8).exists());
}

#[tokio::test]
async fn the_default_transport_is_the_mail_drop_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let t = AnyTransport::from_config(&MailConfig::default(), dir.path()).unwrap();
    assert_eq!(t.name(), "drop");
    t.send(&outgoing(3, Lang::Zh, MailKind::Issued))
        .await
        .unwrap();
    let raw = std::fs::read_to_string(dir.path().join("mail/3.eml")).unwrap();
    assert_eq!(header(&headers(&raw), "message-id"), "<3.outbox@localhost>");
    let bad = MailConfig {
        from: "no address".into(),
        ..MailConfig::default()
    };
    assert!(
        AnyTransport::from_config(&bad, dir.path())
            .err()
            .unwrap()
            .contains("mail.from")
    );
}

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

#[test]
fn configuration_reads_both_transports_and_hides_the_password() {
    let smtp: MailConfig = toml::from_str(
        r#"
        from = "Migration service <no-reply@migration.example.kz>"
        [transport]
        kind = "smtp"
        host = "smtp.example.kz"
        security = "tls"
        username = "tirkeu"
        password = "hunter2"
        "#,
    )
    .unwrap();
    let TransportConfig::Smtp(s) = &smtp.transport else {
        panic!("{smtp:?}")
    };
    assert_eq!(s.port(), 465);
    assert_eq!(s.timeout_seconds, 30);
    assert!(!format!("{smtp:?}").contains("hunter2"));
    assert!(Smtp::new(s, smtp.from_mailbox().unwrap()).is_ok());

    let starttls: MailConfig =
        toml::from_str("[transport]\nkind = \"smtp\"\nhost = \"relay\"\n").unwrap();
    let TransportConfig::Smtp(s) = &starttls.transport else {
        panic!()
    };
    assert_eq!((s.security, s.port()), (Security::Starttls, 587));
    assert_eq!(starttls.from, MailConfig::default().from);

    let dropped: MailConfig =
        toml::from_str("[transport]\nkind = \"drop\"\ndir = \"/var/spool/tirkeu\"\n").unwrap();
    assert_eq!(
        dropped.transport,
        TransportConfig::Drop {
            dir: Some("/var/spool/tirkeu".into())
        }
    );
    assert_eq!(
        toml::from_str::<MailConfig>("").unwrap(),
        MailConfig::default()
    );
    assert!(toml::from_str::<MailConfig>("[transport]\nkind = \"smtp\"\nhots = \"x\"\n").is_err());
    assert!(toml::from_str::<MailConfig>("[transport]\nkind = \"carrier-pigeon\"\n").is_err());

    let mut half = SmtpConfig::new("relay");
    half.username = Some("tirkeu".into());
    assert!(Smtp::new(&half, from()).err().unwrap().contains("both"));
    assert!(Smtp::new(&SmtpConfig::new(" "), from()).is_err());
    let mut clear = SmtpConfig::new("relay");
    clear.security = Security::None;
    clear.username = Some("tirkeu".into());
    clear.password = Some(Password("hunter2".into()));
    assert!(
        Smtp::new(&clear, from())
            .err()
            .unwrap()
            .contains("clear text")
    );
}
