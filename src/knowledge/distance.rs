//! String distances for typo tolerance: strsim's Damerau-Levenshtein and Jaro-Winkler, on
//! characters and reusing buffers, so scoring candidates allocates nothing.

/// Buffers the string metrics reuse.
#[derive(Default)]
pub(super) struct Buffers {
    fr: Vec<isize>,
    r: Vec<isize>,
    r1: Vec<isize>,
    /// Last row in which each ASCII character was seen (`-1`: not yet).
    ascii: Vec<isize>,
    /// The same for other characters.
    other: Vec<(char, isize)>,
    flags: Vec<bool>,
}

impl Buffers {
    fn last_row(&self, c: char) -> isize {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other
                .iter()
                .find(|(x, _)| *x == c)
                .map_or(-1, |&(_, row)| row)
        }
    }

    fn set_last_row(&mut self, c: char, row: isize) {
        if c.is_ascii() {
            self.ascii[c as usize] = row;
        } else if let Some(e) = self.other.iter_mut().find(|(x, _)| *x == c) {
            e.1 = row;
        } else {
            self.other.push((c, row));
        }
    }
}

/// [`strsim::damerau_levenshtein`] on characters, without allocating: the same algorithm
/// (Zhao and Sahni's linear-space one, as strsim 0.11 has it) and the same result.
pub(super) fn damerau_levenshtein(s1: &[char], s2: &[char], b: &mut Buffers) -> usize {
    let (len1, len2) = (s1.len(), s2.len());
    let max_val = len1.max(len2) as isize + 1;
    let size = len2 + 2;
    b.ascii.clear();
    b.ascii.resize(128, -1);
    b.other.clear();
    b.fr.clear();
    b.fr.resize(size, max_val);
    b.r1.clear();
    b.r1.resize(size, max_val);
    b.r.clear();
    b.r.push(max_val);
    b.r.extend(0..(size - 1) as isize);
    for (i, &ch1) in s1.iter().enumerate().map(|(i, c)| (i as isize + 1, c)) {
        std::mem::swap(&mut b.r, &mut b.r1);
        let mut last_col_id: isize = -1;
        let mut last_i2l1 = b.r[1];
        b.r[1] = i;
        let mut t = max_val;
        for (j, &ch2) in s2.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let diag = b.r1[j] + isize::from(ch1 != ch2);
            let left = b.r[j] + 1;
            let up = b.r1[j + 1] + 1;
            let mut temp = diag.min(left).min(up);
            if ch1 == ch2 {
                last_col_id = j as isize;
                b.fr[j + 1] = b.r1[j - 1];
                t = last_i2l1;
            } else {
                let k = b.last_row(ch2);
                let l = last_col_id;
                if j as isize - l == 1 {
                    temp = temp.min(b.fr[j + 1] + (i - k));
                } else if i - k == 1 {
                    temp = temp.min(t + (j as isize - l));
                }
            }
            last_i2l1 = b.r[j + 1];
            b.r[j + 1] = temp;
        }
        b.set_last_row(ch1, i);
    }
    b.r[len2 + 1] as usize
}

/// [`strsim::jaro_winkler`] on characters, without allocating; the same arithmetic, so the
/// same result to the bit.
pub(super) fn jaro_winkler(a: &[char], b: &[char], buf: &mut Buffers) -> f64 {
    let sim = jaro(a, b, buf);
    if sim > 0.7 {
        let prefix_length = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix_length as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// [`strsim::jaro`] on characters.
fn jaro(a: &[char], b: &[char], buf: &mut Buffers) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    buf.flags.clear();
    buf.flags.resize(a_len + b_len, false);
    let (a_flags, b_flags) = buf.flags.split_at_mut(a_len);
    let mut matches = 0_usize;
    for (i, a_elem) in a.iter().enumerate() {
        let min_bound = i.saturating_sub(search_range);
        let max_bound = b_len.min(i + search_range + 1);
        for j in min_bound..max_bound {
            if *a_elem == b[j] && !b_flags[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0_usize;
    let mut b_iter = b_flags.iter().zip(b);
    for (a_flag, ch1) in a_flags.iter().zip(a) {
        if *a_flag {
            for (b_flag, ch2) in b_iter.by_ref() {
                if *b_flag {
                    if ch1 != ch2 {
                        transpositions += 1;
                    }
                    break;
                }
            }
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_metrics_match_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "birmingham",
            "birmingam",
            "brimingham",
            "solihull",
            "solihul",
            "staffs shire",
            "staffordshire",
            "café crème",
            "cafe creme",
            "ñandú",
            "abcdef",
            "badcfe",
            "kirklees",
            "kirkless",
            "coventry",
            "covnetry",
            "aaaa",
            "aaab",
            "market harborough",
            "harborough market",
            "x",
            "xyzzy",
            "ab ba ab",
            "tyne",
            "tyen",
        ];
        let mut b = Buffers::default();
        for x in words {
            for y in words {
                let (cx, cy): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
                assert_eq!(
                    damerau_levenshtein(&cx, &cy, &mut b),
                    strsim::damerau_levenshtein(x, y),
                    "{x:?} {y:?}"
                );
                assert_eq!(
                    jaro_winkler(&cx, &cy, &mut b).to_bits(),
                    strsim::jaro_winkler(x, y).to_bits(),
                    "{x:?} {y:?}"
                );
            }
        }
    }

    #[test]
    fn string_metrics_match_strsim_on_random_strings() {
        let alphabet: Vec<char> = "abcab é".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut b = Buffers::default();
        for _ in 0..5000 {
            let mut word = || -> String {
                let len = next(9);
                (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
            };
            let (x, y) = (word(), word());
            let (cx, cy): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
            assert_eq!(
                damerau_levenshtein(&cx, &cy, &mut b),
                strsim::damerau_levenshtein(&x, &y),
                "{x:?} {y:?}"
            );
            assert_eq!(
                jaro_winkler(&cx, &cy, &mut b).to_bits(),
                strsim::jaro_winkler(&x, &y).to_bits(),
                "{x:?} {y:?}"
            );
        }
    }
}
