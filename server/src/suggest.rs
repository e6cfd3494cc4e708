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
    Vocabulary::new(candidates).nearest(word, max)
}

/// Known words, prepared once for many [`Vocabulary::nearest`] lookups (a
/// rule looking up every key of a file).
pub struct Vocabulary<'a> {
    words: Vec<(&'a str, u64)>,
}

impl<'a> Vocabulary<'a> {
    pub fn new(words: &[&'a str]) -> Self {
        Vocabulary { words: words.iter().map(|w| (*w, letters(w))).collect() }
    }

    /// As [`nearest`].
    pub fn nearest(&self, word: &str, max: usize) -> Option<&'a str> {
        // Long words (a pasted paragraph) would only cost time.
        if word.len() > 64 {
            return None;
        }
        let is_separator = |c: char| matches!(c, ' ' | '-' | '_');
        let squeezed: Option<String> =
            word.contains(is_separator).then(|| word.chars().filter(|&c| !is_separator(c)).collect());
        let mask = letters(word);
        let both = [(word, mask), (squeezed.as_deref().unwrap_or_default(), mask)];
        let words = if squeezed.is_some() { &both[..] } else { &both[..1] };
        let mut best: Option<(usize, &'a str)> = None;
        for &(candidate, candidate_letters) in &self.words {
            // Only a strictly nearer candidate can replace the best one so far.
            let limit = match best {
                Some((0, _)) => break,
                Some((distance, _)) => distance - 1,
                None => max,
            };
            let distance = words
                .iter()
                // Each letter of the word that the candidate lacks costs an edit.
                .filter(|(_, mask)| (mask & !candidate_letters).count_ones() as usize <= limit)
                .filter_map(|(w, _)| distance_within(w, candidate, limit))
                .min();
            if let Some(distance) = distance {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }
}

/// The ASCII letters and digits of `word`, ignoring case, as a bit set.
fn letters(word: &str) -> u64 {
    word.bytes().fold(0, |mask, b| match b.to_ascii_lowercase() {
        c @ b'a'..=b'z' => mask | 1 << (c - b'a'),
        c @ b'0'..=b'9' => mask | 1 << (26 + c - b'0'),
        _ => mask,
    })
}

/// [`edit_distance`] when it is at most `max`, else `None`. Only the band of
/// cells within `max` of the diagonal is computed, without allocating for
/// short ASCII words (the usual case: a settings key against known keys),
/// and it gives up as soon as `max` cannot be met: an "unknown key" rule
/// runs this for every key of a file against every known key.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    const SHORT: usize = 64;
    if max >= SHORT {
        return Some(edit_distance(a, b)).filter(|&d| d <= max);
    }
    if a.is_ascii() && b.is_ascii() && b.len() < SHORT {
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let (mut previous, mut current) = ([0u8; SHORT + 1], [0u8; SHORT + 1]);
        return banded(a.as_bytes(), b.as_bytes(), max, &mut previous, &mut current, |x, y| x.eq_ignore_ascii_case(&y));
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (mut previous, mut current) = (vec![0u8; b.len() + 1], vec![0u8; b.len() + 1]);
    banded(&a, &b, max, &mut previous, &mut current, |x: char, y: char| x.eq_ignore_ascii_case(&y))
}

/// Levenshtein restricted to `|i - j| <= max`, cells capped at `max + 1`.
/// Needs `a` and `b` within `max` in length, `max < 64`, and rows of at
/// least `b.len() + 1` cells.
fn banded<'r, T: Copy>(
    a: &[T],
    b: &[T],
    max: usize,
    mut previous: &'r mut [u8],
    mut current: &'r mut [u8],
    same: impl Fn(T, T) -> bool,
) -> Option<usize> {
    let m = b.len();
    let cap = |n: usize| n.min(max + 1) as u8;
    let big = cap(usize::MAX);
    for (j, cell) in previous[..=m].iter_mut().enumerate() {
        *cell = cap(j);
    }
    for (i, &ca) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        // Left of the band: the first column, or out of reach.
        current[lo - 1] = if lo == 1 { cap(i) } else { big };
        let mut row_min = current[lo - 1];
        for j in lo..=hi {
            let substitution = previous[j - 1] + u8::from(!same(ca, b[j - 1]));
            let cell = substitution.min(previous[j] + 1).min(current[j - 1] + 1).min(big);
            current[j] = cell;
            row_min = row_min.min(cell);
        }
        // Right of the band: out of reach (the next row reads it).
        if hi < m {
            current[hi + 1] = big;
        }
        if usize::from(row_min) > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(usize::from(previous[m])).filter(|&d| d <= max)
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
        assert_eq!(nearest("hubname", &["hubNme", "hubName"], 2), Some("hubName"), "the nearest, not the first");
        assert_eq!(nearest("hubNam", &["hubNa", "hubNme"], 2), Some("hubNa"), "ties go to the earlier");
    }

    /// The bounded distance agrees with the plain one wherever it answers.
    #[test]
    fn bounded_distance_agrees_with_levenshtein() {
        let words = [
            "",
            "a",
            "hubName",
            "HUBNAME",
            "hubNmae",
            "storageProvider",
            "stoargeProvidr",
            "héllo",
            "hello",
            "Ünïcödé",
            "unicode",
            "maxConcurrentActivityFunctions",
            "maxConcurrentOrchestratorFunctions",
            "x-y_z",
        ];
        for a in words {
            for b in words {
                let d = edit_distance(a, b);
                for max in 0..4 {
                    assert_eq!(distance_within(a, b, max), (d <= max).then_some(d), "{a:?} {b:?} {max}");
                }
            }
        }
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]
        /// The banded, bounded distance is the plain distance whenever that is
        /// within the bound; and `nearest` picks what a plain scan would.
        #[test]
        fn bounded_distance_and_nearest_agree_with_the_plain_scan(
            a in "[abAB_ é-]{0,12}",
            b in "[abAB é]{0,12}",
            candidates in proptest::collection::vec("[abAB é]{0,8}", 0..6),
            max in 0usize..5,
        ) {
            let d = edit_distance(&a, &b);
            prop_assert_eq!(distance_within(&a, &b, max), (d <= max).then_some(d));
            let squeezed: String = a.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect();
            let plain = candidates
                .iter()
                .map(|c| (edit_distance(&a, c).min(edit_distance(&squeezed, c)), c.as_str()))
                .filter(|(distance, _)| *distance <= max)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, c)| c);
            let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
            prop_assert_eq!(nearest(&a, &refs, max), plain);
        }
    }
}
