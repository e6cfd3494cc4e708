//! "Did you mean": the nearest known word by edit distance.

/// Levenshtein distance between two strings, ignoring ASCII case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate nearest to `word` within `max` edits, comparing also with
/// spaces, hyphens and underscores removed (so `Managed Identity` finds
/// `ManagedIdentity`). Ties go to the earlier candidate.
pub fn nearest<'a>(word: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
    // Long words (a pasted paragraph) would only cost time.
    if word.len() > 64 {
        return None;
    }
    let squeezed: String = word.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect();
    candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate).min(edit_distance(&squeezed, candidate)), *candidate))
        .filter(|(distance, _)| *distance <= max)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_words() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(nearest("azureManged", &["AzureStorage", "AzureManaged"], 2), Some("AzureManaged"));
        assert_eq!(nearest("Managed Identity", &["DefaultAzure", "ManagedIdentity"], 2), Some("ManagedIdentity"));
        assert_eq!(nearest("zzz", &["AzureStorage"], 2), None);
    }
}
