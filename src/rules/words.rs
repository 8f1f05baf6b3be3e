//! Compiling rule word lists: every section that gives words a role
//! ("rise", "from", "Updated") or a pattern to try turns them into lookups
//! the same way, here.

use rustc_hash::{FxHashMap, FxHashSet};

use super::RulesError;

/// Word lists, each with the role its words play, as one lookup from a word's
/// key (`key`: its stem hash or lowercase hash) to its role. A word in two
/// lists takes the later list's role.
pub(crate) fn roles<V: Copy>(lists: &[(&[String], V)], key: impl Fn(&str) -> u64) -> FxHashMap<u64, V> {
    let mut out = FxHashMap::default();
    for (list, role) in lists {
        for w in *list {
            out.insert(key(w), *role);
        }
    }
    out
}

/// One word list as a set of keys.
pub(crate) fn set(list: &[String], key: impl Fn(&str) -> u64) -> FxHashSet<u64> {
    list.iter().map(|w| key(w)).collect()
}

/// Regular expressions from a rule list; `what` names the list in the error.
pub(crate) fn regexes(list: &[String], what: &str) -> Result<Vec<regex::Regex>, RulesError> {
    list.iter()
        .map(|p| {
            regex::Regex::new(p).map_err(|e| RulesError::Parse {
                path: what.into(),
                message: format!("{p:?}: {e}"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn later_lists_win_and_keys_are_the_callers() {
        let (a, b) = (s(&["up", "rise"]), s(&["rise"]));
        let m = roles(&[(&a, 1), (&b, 2)], |w| w.len() as u64);
        assert_eq!(m.get(&2), Some(&1));
        assert_eq!(m.get(&4), Some(&2));
        assert_eq!(m.len(), 2);
        assert!(set(&a, |w| w.len() as u64).contains(&4));
    }

    #[test]
    fn a_broken_pattern_names_its_list() {
        let err = regexes(&s(&["(unclosed"]), "[dates] patterns").unwrap_err();
        assert!(err.to_string().contains("[dates] patterns"), "{err}");
        assert_eq!(regexes(&s(&[r"\d+"]), "x").unwrap().len(), 1);
    }
}
