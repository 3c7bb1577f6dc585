//! A keyed collection of simulated objects whose reads cost what they return, not what the
//! organization holds: children are indexed by parent, and objects that may have a state
//! change due are remembered, so that neither a list nor the lazy state advance walks every
//! object. With a million workspaces, listing one group touches that group's workspaces only.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

/// What the store needs to know about an object.
pub trait Record {
    /// The object it belongs to (a workspace's group); fixed at insertion.
    fn parent(&self) -> Option<Uuid> {
        None
    }
    /// Whether a state change is still due.
    fn has_pending(&self) -> bool;
}

/// Objects by id, in id order (as a `BTreeMap`), plus the indexes above.
#[derive(Debug)]
pub struct Store<R> {
    all: BTreeMap<Uuid, R>,
    children: HashMap<Uuid, BTreeSet<Uuid>>,
    /// Every object handed out mutably since its pending change last completed: a superset
    /// of those with a change due.
    watched: BTreeSet<Uuid>,
}

impl<R> Default for Store<R> {
    fn default() -> Self {
        Self { all: BTreeMap::new(), children: HashMap::new(), watched: BTreeSet::new() }
    }
}

impl<R: Record> Store<R> {
    pub fn insert(&mut self, id: Uuid, rec: R) {
        if let Some(old) = self.all.get(&id).and_then(Record::parent)
            && let Some(set) = self.children.get_mut(&old)
        {
            set.remove(&id);
        }
        if let Some(parent) = rec.parent() {
            self.children.entry(parent).or_default().insert(id);
        }
        if rec.has_pending() {
            self.watched.insert(id);
        }
        self.all.insert(id, rec);
    }

    pub fn get(&self, id: &Uuid) -> Option<&R> {
        self.all.get(id)
    }

    /// The object, watched from now on: whatever the caller changes is seen by the advance.
    pub fn get_mut(&mut self, id: &Uuid) -> Option<&mut R> {
        let rec = self.all.get_mut(id)?;
        self.watched.insert(*id);
        Some(rec)
    }

    pub fn contains_key(&self, id: &Uuid) -> bool {
        self.all.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Uuid> {
        self.all.keys()
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &R> {
        self.all.values()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Uuid, &R)> {
        self.all.iter()
    }

    /// Every object, mutably; all of them are watched afterwards (tests and seeding only:
    /// the next advance walks them once).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut R> {
        self.watched.extend(self.all.keys().copied());
        self.all.values_mut()
    }

    /// The objects under `parent`, in id order.
    pub fn children(&self, parent: Uuid) -> impl Iterator<Item = &R> {
        self.children.get(&parent).into_iter().flatten().filter_map(|id| self.all.get(id))
    }

    /// The ids of the objects under `parent`, in id order.
    pub fn child_ids(&self, parent: Uuid) -> Vec<Uuid> {
        self.children.get(&parent).map(|s| s.iter().copied().collect()).unwrap_or_default()
    }

    /// Runs `f` on every object that may have a change due, then forgets those that no
    /// longer have one.
    pub fn advance_watched(&mut self, mut f: impl FnMut(&mut R)) {
        let all = &mut self.all;
        self.watched.retain(|id| match all.get_mut(id) {
            Some(rec) => {
                f(rec);
                rec.has_pending()
            }
            None => false,
        });
    }

    /// An object chosen uniformly enough (the first at or after a random id) in O(log n),
    /// skipping those `keep` rejects for a few tries.
    pub fn pick(&self, rng: &mut impl rand::Rng, keep: impl Fn(&R) -> bool) -> Option<(&Uuid, &R)> {
        for _ in 0..8 {
            let from = Uuid::from_u128(rng.random());
            let found = self.all.range(from..).next().or_else(|| self.all.iter().next());
            if let Some((id, rec)) = found.filter(|(_, r)| keep(r)) {
                return Some((id, rec));
            }
        }
        self.all.iter().find(|(_, r)| keep(r))
    }
}

impl<R> std::ops::Index<&Uuid> for Store<R> {
    type Output = R;
    /// Panics when absent, like `BTreeMap`'s index (tests only).
    fn index(&self, id: &Uuid) -> &R {
        match self.all.get(id) {
            Some(r) => r,
            None => panic!("no object {id} in the store"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Rec {
        parent: Uuid,
        pending: bool,
    }

    impl Record for Rec {
        fn parent(&self) -> Option<Uuid> {
            Some(self.parent)
        }
        fn has_pending(&self) -> bool {
            self.pending
        }
    }

    #[test]
    fn children_and_watching() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let mut s = Store::default();
        let ids: Vec<Uuid> = (0..10).map(|_| Uuid::new_v4()).collect();
        for (i, id) in ids.iter().enumerate() {
            s.insert(*id, Rec { parent: if i % 2 == 0 { a } else { b }, pending: i == 3 });
        }
        assert_eq!(s.children(a).count(), 5);
        assert!(s.children(b).all(|r| r.parent == b));
        assert_eq!(s.children(Uuid::nil()).count(), 0);

        let mut seen = Vec::new();
        s.advance_watched(|r| {
            seen.push(r.parent);
            r.pending = false;
        });
        assert_eq!(seen.len(), 1, "only the pending object is visited");
        s.advance_watched(|_| unreachable!("nothing is watched once the change landed"));

        if let Some(r) = s.get_mut(&ids[0]) {
            r.pending = true;
        }
        let mut n = 0;
        s.advance_watched(|_| n += 1);
        assert_eq!(n, 1, "a mutable borrow is watched");
        assert!(s.pick(&mut rand::rng(), |r| r.parent == b).is_some_and(|(_, r)| r.parent == b));
    }
}
