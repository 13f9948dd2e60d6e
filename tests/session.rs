//! The build session as a library: one session builds, then rebuilds one output after
//! a change, reports each document as an event, and keeps its fonts loaded.

use std::sync::Mutex;

use jianbao::executor::Threads;
use jianbao::session::{BuildOptions, Changes, Event, Session, Status};
use jianbao::sink::{Disk, Memory};

use crate::common::{TWO_COUNTIES, tempdir};

/// (file name, status) of each `Document` event, in the order they came.
type Seen = Mutex<Vec<(String, Status)>>;

fn record(seen: &Seen) -> impl Fn(Event<'_>) + Sync + '_ {
    move |event| {
        if let Event::Document(doc) = event {
            seen.lock().unwrap().push((doc.file_name.clone(), doc.status));
        }
    }
}

#[test]
fn a_session_rebuilds_one_output_after_a_change_and_reports_it() {
    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    let options = BuildOptions { jobs: 2, ..BuildOptions::default() };
    let mut session = Session::new(&manifest, options).unwrap();
    let mut sink = Memory::new();
    let executor = Threads { jobs: 2 };

    let seen = Seen::default();
    let report = session.build(&mut sink, &executor, &record(&seen)).unwrap();
    assert_eq!(report.count(Status::Built), 2, "{report:?}");
    let mut first = seen.lock().unwrap().clone();
    first.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        first,
        [
            ("永济市-第1期.pdf".to_string(), Status::Built),
            ("盐湖区-第1期.pdf".into(), Status::Built)
        ]
    );
    let before = sink.get("永济市-第1期.pdf").expect("kept in memory");
    assert!(before.starts_with(b"%PDF"));

    // Change 盐湖区's article only: that output is rebuilt, 永济市's is skipped.
    std::fs::write(&manifest, TWO_COUNTIES.replace("12个", "15个")).unwrap();
    let seen = Seen::default();
    let report = session
        .rebuild(&Changes::paths([manifest.clone()]), &mut sink, &executor, &record(&seen))
        .unwrap();
    let mut second = seen.lock().unwrap().clone();
    second.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        second,
        [
            ("永济市-第1期.pdf".to_string(), Status::Skipped),
            ("盐湖区-第1期.pdf".into(), Status::Built)
        ]
    );
    assert_eq!(report.count(Status::Built), 1);
    assert_eq!(sink.get("永济市-第1期.pdf").unwrap(), before, "the unchanged output was kept");
    assert_eq!(session.font_loads(), 1, "the rebuild loaded the fonts again");
}

#[test]
fn a_session_writes_to_disk_and_a_template_change_rebuilds_everything_with_warm_fonts() {
    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    let templates = dir.path().join("templates");
    let (code, _, err) = crate::common::run(&["templates", templates.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    let options = BuildOptions {
        out_dir: out.clone(),
        templates: Some(templates.clone()),
        jobs: 2,
        ..BuildOptions::default()
    };
    let mut session = Session::new(&manifest, options).unwrap();
    let mut sink = Disk::new(&out, false);
    let executor = Threads { jobs: 2 };
    let report = session.build(&mut sink, &executor, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Built), 2);
    assert!(out.join(".jianbao.json").is_file());

    // Nothing changed: nothing is typeset, and the fonts are not even needed again.
    let report = session.rebuild(&Changes::default(), &mut sink, &executor, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Skipped), 2);

    // A template changes: both outputs are rebuilt, with the fonts already loaded.
    let main = templates.join("main.typ");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{text}\n// changed\n")).unwrap();
    let seen = Seen::default();
    let report =
        session.rebuild(&Changes::paths([main]), &mut sink, &executor, &record(&seen)).unwrap();
    assert_eq!(report.count(Status::Built), 2, "{report:?}");
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert_eq!(session.font_loads(), 1);
}

#[test]
fn the_watcher_reports_a_changed_file() {
    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    let other = dir.path().join("unrelated.txt");
    let mut watcher = jianbao::watch::Watcher::new().unwrap();
    watcher.watch(std::slice::from_ref(&manifest));
    std::fs::write(&other, "x").unwrap();
    let quiet = watcher.wait_timeout(std::time::Duration::from_millis(500));
    assert!(quiet.is_none(), "a file not watched counted: {quiet:?}");
    std::fs::write(&manifest, TWO_COUNTIES.replace("12个", "13个")).unwrap();
    let changes =
        watcher.wait_timeout(std::time::Duration::from_secs(10)).expect("the change is seen");
    let expected = std::path::absolute(&manifest).unwrap();
    assert!(changes.paths.contains(&expected), "{changes:?}");
}
