//! The bad-input corpus (`tests/fixtures/bad/`): each case has its exact message pinned
//! by a snapshot, exits with the documented code, never panics, and names the file and,
//! where it applies, the line and column.

use crate::common::run;

/// Runs `jianbao check` on a fixture and returns (exit code, stderr).
fn check(name: &str) -> (i32, String) {
    let path = format!("tests/fixtures/bad/{name}.yaml");
    let (code, _, err) = run(&["check", &path]);
    assert_ne!(code, 101, "jianbao panicked on {name}:\n{err}");
    assert!(err.contains(&path), "{name}: the message does not name the file:\n{err}");
    (code, err)
}

macro_rules! bad {
    ($($name:ident => $file:literal, located: $located:literal;)*) => {$(
        #[test]
        fn $name() {
            let (code, err) = check($file);
            assert_eq!(code, 1, "{err}");
            if $located {
                let at = format!("tests/fixtures/bad/{}.yaml:", $file);
                assert!(err.contains(&at), "no line and column:\n{err}");
            }
            insta::assert_snapshot!(err);
        }
    )*};
}

bad! {
    tab_indentation => "tab-indentation", located: true;
    unclosed_quote => "unclosed-quote", located: true;
    duplicate_key => "duplicate-key", located: true;
    wrong_types => "wrong-types", located: true;
    unknown_fields => "unknown-fields", located: true;
    missing_fields => "missing-fields", located: true;
    duplicate_ids => "duplicate-ids", located: true;
    figure_without_article_and_quote_not_in_article => "three-problems", located: true;
    value_not_in_quote => "value-not-in-quote", located: true;
    empty_manifest => "empty", located: false;
    list_instead_of_map => "list-not-map", located: true;
    alias_bomb => "alias-bomb", located: true;
    deeply_nested => "deeply-nested", located: true;
    not_utf8 => "not-utf8", located: true;
    source_outside_root => "source-outside-root", located: true;
    source_absolute => "source-absolute", located: true;
    lines_past_end => "lines-past-end", located: true;
    invalid_date => "invalid-date", located: true;
    bad_output_patterns => "bad-output-patterns", located: true;
    empty_body => "empty-body", located: true;
}

#[test]
fn bom_and_crlf_manifests_are_read() {
    for name in ["bom", "crlf"] {
        let (code, err) = check(name);
        assert_eq!(code, 0, "{name}: {err}");
    }
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    for name in ["alias-bomb", "deeply-nested"] {
        let start = std::time::Instant::now();
        let (code, _) = check(name);
        assert_eq!(code, 1);
        // Generous: a refused document must not take the time an expanded one would.
        assert!(start.elapsed().as_secs() < 20, "{name} took {:?}", start.elapsed());
    }
}

#[test]
fn ten_thousand_articles_check() {
    let dir = crate::common::tempdir();
    let mut manifest = String::from(
        "briefing:\n  title: 测试简报\n  issuer: 测试办公室\n  number: 1\n  date: 2024-03-05\narticles:\n",
    );
    let groupings: Vec<String> = (0..50).map(|i| format!("县{i}")).collect();
    manifest.insert_str(0, &format!("groupings: [{}]\n", groupings.join(", ")));
    for i in 0..10_000 {
        manifest.push_str(&format!(
            "  - id: a{i}\n    title: 第{i}篇\n    county: 县{}\n    themes: [主题{}]\n    body: 会议指出,全区共建成党群服务站{i}个。\n    source: {{ file: source.txt, lines: [1, 2] }}\n",
            i % 50,
            i % 7
        ));
    }
    manifest.push_str("figures:\n  - article: a9999\n    label: 党群服务站\n    value: \"9999\"\n    unit: 个\n    quote: 全区共建成党群服务站9999个\n");
    let path = crate::common::write_project(dir.path(), &manifest);
    let (code, _, err) = run(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("10000 articles"), "{err}");
}
