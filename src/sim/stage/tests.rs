use super::*;

fn p(s: &str) -> StagePath {
    StagePath::parse(s).unwrap_or_else(|_| StagePath::root())
}

#[test]
fn paths_normalise() {
    assert_eq!(p("//data/").key(), "data/");
    assert_eq!(p("a/b/c.csv").parent_key(), "a/b/");
    assert_eq!(p("x").parent_key(), "");
    assert!(p("").is_root());
    assert!(StagePath::parse("a/../b").is_err());
}

#[test]
fn tree_operations() {
    let mut s = StageStore::new();
    let d = Uuid::new_v4();
    let now = Utc::now();
    assert!(s.put_bytes(d, &p("a/x.csv"), b"1", now).is_err(), "missing parent");
    assert_eq!(s.mkdir(d, &p("a/"), now).ok(), Some(true));
    assert!(s.mkdir(d, &p("q/r/"), now).is_err());
    assert!(s.put_bytes(d, &p("a/x.csv"), b"123", now).is_ok());
    assert_eq!(s.total_bytes(d), 3);
    assert!(s.file_meta(d, &p("a")).is_err(), "folder without slash");
    let l = s.list(d, &p("")).ok().map(|m| m.children().to_vec()).unwrap_or_default();
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].path.as_deref(), Some("a/"));
    assert!(s.rename(d, &p("a/"), "b", now).is_ok());
    assert!(s.file_meta(d, &p("b/x.csv")).is_ok());
    assert!(s.delete(d, &p("b/x.csv/")).is_err());
    assert!(s.delete(d, &p("b/x.csv")).is_ok());
    assert!(s.list(d, &p("b/")).is_ok(), "folder remains");
    assert_eq!(s.total_bytes(d), 0);
}
