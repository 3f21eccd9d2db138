//! What makes a quote support its fact: enough words to be a statement, and the fact's value
//! among them. A fact whose source cannot meet a rule says why in `quote_note`.

use super::normalize::{contains_words, fold};

/// The fewest words a quote may have: a short statement, never a lone word or phrase.
pub const MIN_WORDS: usize = 5;

/// The advice every rule's message ends with.
pub const EXCEPTION: &str =
    "or, where the source's wording cannot, say why in `quote_note = \"…\"`";

/// The number of words in `quote`: runs of non-space with a letter or digit.
pub fn words(quote: &str) -> usize {
    quote
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// True when `quote` gives `stars` in digits or words ("two-star", "3 stars", "zero stars").
pub fn has_stars(quote: &str, stars: i64) -> bool {
    let word = match stars {
        0 => "zero",
        1 => "one",
        2 => "two",
        3 => "three",
        _ => return false,
    };
    let folded = fold(quote);
    folded
        .split(' ')
        .any(|w| w == word || w == stars.to_string())
}

/// True when `quote` has the number `value` ("300,000", "7.3", "£10,000").
pub fn has_number(quote: &str, value: f64) -> bool {
    numbers(quote).any(|n| (n - value).abs() <= f64::EPSILON * value.abs().max(1.0))
}

/// The numbers written in `text`, with thousands separators and decimal points.
fn numbers(text: &str) -> impl Iterator<Item = f64> + '_ {
    text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .filter_map(|run| {
            let run = run.trim_matches(|c| c == ',' || c == '.');
            let digits: String = run.chars().filter(|&c| c != ',').collect();
            digits.parse::<f64>().ok()
        })
}

/// True when `quote` has all the words of `name`, in order, as whole words.
pub fn has_name(quote: &str, name: &str) -> bool {
    contains_words(&fold(quote), &fold(name))
}

/// True when every word of `name` is a word of `quote`, in any order, a final `s` aside
/// ("Care assistant NVQs" is named by "NVQ training for care assistants").
pub fn has_words(quote: &str, name: &str) -> bool {
    let stem = |w: &str| {
        w.strip_suffix('s')
            .filter(|w| !w.is_empty())
            .unwrap_or(w)
            .to_string()
    };
    let quote = fold(quote);
    let have: std::collections::HashSet<String> = quote.split(' ').map(stem).collect();
    let name = fold(name);
    !name.is_empty() && name.split(' ').all(|w| have.contains(&stem(w)))
}

/// A person's surname: the last word of their name.
pub fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_with_letters_or_digits() {
        assert_eq!(words("Birmingham has a one-star rating"), 5);
        assert_eq!(words("star"), 1);
        assert_eq!(words("a – b  c"), 3);
    }

    #[test]
    fn finds_stars_in_digits_or_words() {
        assert!(has_stars("Solihull has a two-star rating", 2));
        assert!(has_stars("move from zero stars", 0));
        assert!(has_stars("rated 3 stars", 3));
        assert!(!has_stars("Solihull has a two-star rating", 3));
        assert!(!has_stars("star", 3));
        assert!(!has_stars("someone said it", 1));
    }

    #[test]
    fn finds_numbers_as_written() {
        assert!(has_number(
            "Coventry has a population of 300,000.",
            300_000.0
        ));
        assert!(has_number("7.3 per cent are Asian", 7.3));
        assert!(has_number("cost no more than £10,000", 10_000.0));
        assert!(has_number("over 50 and more", 50.0));
        assert!(!has_number("over 500 and more", 50.0));
        assert!(!has_number("7.3 per cent", 7.0));
    }

    #[test]
    fn finds_names_as_whole_words() {
        assert!(has_name("John Bolton’s mind", "Bolton"));
        assert!(has_name(
            "The idea behind the Safe and Sound scheme",
            "Safe and Sound"
        ));
        assert!(!has_name("Boltonian", "Bolton"));
        assert_eq!(surname("Peter Hay"), "Hay");
        assert!(has_words(
            "NVQ training for care assistants",
            "Care assistant NVQs"
        ));
        assert!(!has_words(
            "sponsoring them on a social work course",
            "Social work course sponsorship"
        ));
    }
}
