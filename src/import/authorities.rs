//! The register: today's authorities and those of 2002-2023 since abolished, with ids,
//! successors and the aliases their sources give them.

use std::collections::{HashMap, HashSet};

use super::Tables;
use crate::knowledge::register::{Authority, AuthorityKind};
use crate::knowledge::rows::{self, match_key, slug, spelling_key};

/// Every authority, sorted by id.
pub(super) fn build(tables: &Tables, refused: &mut Vec<String>) -> Result<Vec<Authority>, String> {
    let mut list: Vec<(Authority, Vec<String>)> = Vec::new();
    let mut code_ids: HashMap<String, String> = HashMap::new();
    for row in tables[rows::REGISTER].rows() {
        if !rows::is_social_services(&row) {
            continue;
        }
        match rows::authority_from_register(&row) {
            Ok((mut a, successors)) => {
                // Former county councils are named in full: North Yorkshire County Council
                // (to 2023) is not North Yorkshire Council (since 2023).
                a.id = if a.ended.is_some() && a.kind == AuthorityKind::County {
                    slug(&a.name)
                } else {
                    // "Dorset Council" is Dorset.
                    slug(
                        a.short_name
                            .strip_suffix(" Council")
                            .unwrap_or(&a.short_name),
                    )
                };
                code_ids.insert(a.row.key.clone(), a.id.clone());
                list.push((a, successors));
            }
            Err(e) => refused.push(format!("{} row {}: {e}", rows::REGISTER, row.key())),
        }
    }
    for row in tables[rows::FORMER].rows() {
        match rows::authority_from_former(&row) {
            Ok(pair) => list.push(pair),
            Err(e) => refused.push(format!("{} row {}: {e}", rows::FORMER, row.key())),
        }
    }
    let names = lookup(tables);
    let mut authorities = Vec::with_capacity(list.len());
    for (mut a, successors) in list {
        for code in &successors {
            match code_ids.get(code) {
                Some(id) => a.replaced_by.push(id.clone()),
                None => {
                    return Err(format!(
                        "{} row {}: successor `{code}` is not an authority of the register",
                        a.row.table, a.row.key
                    ))
                }
            }
        }
        a.replaced_by.sort();
        if a.row.table == rows::REGISTER {
            let ampersand = a.short_name.replace(" and ", " & ");
            let mut candidates: Vec<&str> = vec![&a.name, &a.short_name, &ampersand];
            candidates.extend(names.get(&a.row.key).into_iter().flatten().copied());
            a.aliases = aliases(&a, &candidates);
        }
        authorities.push(a);
    }
    authorities.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = authorities.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(format!(
            "two authorities would have the id `{}`: {} and {}",
            w[0].id, w[0].name, w[1].name
        ));
    }
    unshare(&mut authorities);
    Ok(authorities)
}

/// The lookup table's names for each register code, in file order.
fn lookup(tables: &Tables) -> HashMap<String, Vec<&str>> {
    let mut map: HashMap<String, Vec<&str>> = HashMap::new();
    for row in tables[rows::NAMES].rows() {
        map.entry(row.get("local-authority-code").to_string())
            .or_default()
            .push(row.get("la-name"));
    }
    map
}

/// The candidates that add something to the name and short name: one spelling for each way
/// of reading them (case, punctuation and words such as "council" or "UA" ignored), in order,
/// those with capitals first.
fn aliases(a: &Authority, candidates: &[&str]) -> Vec<String> {
    let key = spelling_key;
    let mut seen: HashSet<String> = [key(&a.name), key(&a.short_name)].into();
    let mut with_capitals: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|n| n.chars().any(char::is_uppercase))
        .collect();
    with_capitals.extend(
        candidates
            .iter()
            .copied()
            .filter(|n| !n.chars().any(char::is_uppercase)),
    );
    let mut out = Vec::new();
    // Spellings that differ only in ASCII case have one key: fold each once.
    let mut tried: HashSet<String> = [&a.name, &a.short_name]
        .into_iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    for n in with_capitals {
        if !tried.insert(n.to_ascii_lowercase()) {
            continue;
        }
        if seen.insert(key(n)) {
            out.push(n.to_string());
        }
    }
    out
}

/// Drops aliases that would name two authorities: an alias that reads as another authority's
/// name, or that two authorities share (kept by the one authority of today, if only one is).
fn unshare(authorities: &mut [Authority]) {
    let own: Vec<[String; 2]> = (authorities.iter())
        .map(|a| [match_key(&a.name), match_key(&a.short_name)])
        .collect();
    let alias_keys: Vec<Vec<String>> = (authorities.iter())
        .map(|a| a.aliases.iter().map(|n| match_key(n)).collect())
        .collect();
    let names: HashSet<&str> = own.iter().flatten().map(String::as_str).collect();
    // For each alias key, how many authorities hold it, and how many of today.
    let mut holders: HashMap<&str, (usize, usize)> = HashMap::new();
    for (a, keys) in authorities.iter().zip(&alias_keys) {
        let keys: HashSet<&str> = keys.iter().map(String::as_str).collect();
        for k in keys {
            let h = holders.entry(k).or_default();
            h.0 += 1;
            h.1 += usize::from(a.ended.is_none());
        }
    }
    for (i, a) in authorities.iter_mut().enumerate() {
        let current = a.ended.is_none();
        let mut keys = alias_keys[i].iter();
        a.aliases.retain(|_| {
            let k = keys.next().expect("a key for each alias").as_str();
            if own[i].iter().any(|o| o == k) {
                return true;
            }
            if names.contains(k) {
                return false;
            }
            let (all, of_today) = holders[k];
            all == 1 || (current && of_today == 1)
        });
    }
}
