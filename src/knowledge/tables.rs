//! Reading the CSV tables facts are imported from, with curators' cell corrections applied.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;

use super::confined::{Refused, Root};
use super::index::Fx;
use super::register::{Cell, Table};
use super::validate::MAX_SOURCE;

/// The tables read for one load or import, by id.
pub type Tables = HashMap<String, TableData>;

/// A table's rows in memory, found by key in constant time.
#[derive(Debug)]
pub struct TableData {
    pub id: String,
    /// The file it was read from, as its `[[table]]` gives it.
    pub file: String,
    columns: HashMap<String, usize, Fx>,
    rows: Vec<csv::StringRecord>,
    /// Corrected cells, by row and column.
    corrected: HashMap<(usize, usize), String>,
    key_col: Option<usize>,
    by_key: HashMap<String, usize, Fx>,
}

/// One row of a table.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    table: &'a TableData,
    index: usize,
}

/// A cell correction that names no cell of its table, with why.
#[derive(Debug)]
pub struct BadCell {
    /// The index of the correction in the list given to [`TableData::read`].
    pub cell: usize,
    /// `row` or `column`: which part of the correction is wrong.
    pub field: &'static str,
    pub message: String,
}

impl TableData {
    /// Reads `table`'s file under `dir` and applies the corrections among `cells` that are
    /// for it; a correction naming no row or column comes back as a [`BadCell`].
    pub fn read(
        dir: &Path,
        table: &Table,
        cells: &[Cell],
    ) -> Result<(TableData, Vec<BadCell>), String> {
        let root =
            Root::new(dir).map_err(|e| format!("cannot read the knowledge directory: {e}"))?;
        let text = root
            .read(Path::new(&table.file), MAX_SOURCE)
            .map_err(|r| match r {
                Refused::Outside => format!(
                    "table file `{}` must be a path inside the knowledge directory, like sources/ofsted-ilacs.csv",
                    table.file
                ),
                r => format!(
                    "cannot read table file `{}`: {r}; a table file is a regular file inside the knowledge directory, like sources/ofsted-ilacs.csv",
                    table.file
                ),
            })?;
        let mut data = TableData::parse(&table.id, &table.key, &text)
            .map_err(|e| format!("table file `{}`: {e}", table.file))?;
        data.file.clone_from(&table.file);
        let mut bad = Vec::new();
        for (i, c) in cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.table == table.id)
        {
            let Some(&row) = data.by_key.get(&c.row) else {
                bad.push(BadCell {
                    cell: i,
                    field: "row",
                    message: format!("table `{}` has no row `{}`", table.id, c.row),
                });
                continue;
            };
            let Some(&col) = data.columns.get(&c.column) else {
                bad.push(BadCell {
                    cell: i,
                    field: "column",
                    message: format!("table `{}` has no column `{}`", table.id, c.column),
                });
                continue;
            };
            if data.key_col == Some(col) {
                bad.push(BadCell {
                    cell: i,
                    field: "column",
                    message: format!(
                        "`{}` is the key column of table `{}` and cannot be corrected",
                        c.column, table.id
                    ),
                });
                continue;
            }
            data.corrected.insert((row, col), c.value.clone());
        }
        Ok((data, bad))
    }

    /// Parses CSV text with a header row; `key` is the column naming rows, or `#` for row
    /// numbers. A row with more fields than the header has an unquoted comma in its last
    /// column, which is read as free text.
    pub fn parse(id: &str, key: &str, text: &str) -> Result<TableData, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| format!("cannot read the header row: {e}"))?
            .clone();
        let columns: HashMap<String, usize, Fx> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), i))
            .collect();
        let key_col = match key {
            "#" => None,
            k => Some(
                *columns
                    .get(k)
                    .ok_or_else(|| format!("no key column `{k}` in the header"))?,
            ),
        };
        let mut rows = Vec::new();
        let mut by_key = HashMap::default();
        for (n, record) in reader.records().enumerate() {
            let record = record.map_err(|e| format!("row {}: {e}", n + 1))?;
            let width = header.len();
            let row = match record.len() {
                l if l < width => {
                    return Err(format!(
                        "row {} has {l} fields, but the header has {width}",
                        n + 1
                    ))
                }
                l if l == width => record,
                // Free text in the last column with an unquoted comma: the extra fields are
                // the rest of that text.
                _ => {
                    let mut fields: Vec<&str> = record.iter().take(width - 1).collect();
                    let rest: Vec<&str> = record.iter().skip(width - 1).collect();
                    let last = rest.join(",");
                    fields.push(&last);
                    csv::StringRecord::from(fields)
                }
            };
            let k = key_col.map_or_else(|| (n + 1).to_string(), |c| row[c].to_string());
            match by_key.entry(k) {
                Entry::Occupied(o) => {
                    return Err(format!(
                        "two rows have the key `{}` in column `{key}`; keys must be unique",
                        o.key()
                    ))
                }
                Entry::Vacant(v) => {
                    v.insert(n);
                }
            }
            rows.push(row);
        }
        Ok(TableData {
            id: id.to_string(),
            file: String::new(),
            columns,
            rows,
            corrected: HashMap::new(),
            key_col,
            by_key,
        })
    }

    /// Fails unless the table has every one of `columns`.
    pub fn require(&self, columns: &[&str]) -> Result<(), String> {
        match columns.iter().find(|c| !self.columns.contains_key(**c)) {
            Some(c) => Err(format!("table `{}` has no column `{c}`", self.id)),
            None => Ok(()),
        }
    }

    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<Row<'_>> {
        self.by_key
            .get(key)
            .map(|&index| Row { table: self, index })
    }

    /// Every row, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.rows.len()).map(move |index| Row { table: self, index })
    }
}

impl<'a> Row<'a> {
    /// The value in `column`, trimmed; empty when the table has no such column (callers
    /// check columns first with [`TableData::require`]).
    pub fn get(&self, column: &str) -> &'a str {
        let Some(&c) = self.table.columns.get(column) else {
            return "";
        };
        let corrected = if self.table.corrected.is_empty() {
            None
        } else {
            self.table.corrected.get(&(self.index, c))
        };
        let value = match corrected {
            Some(v) => v.as_str(),
            None => self.table.rows[self.index].get(c).unwrap_or(""),
        };
        value.trim()
    }

    /// The row's key: its key column's value, or its number (1 for the first row after the
    /// header).
    pub fn key(&self) -> String {
        match self.table.key_col {
            Some(c) => self.table.rows[self.index][c].to_string(),
            None => (self.index + 1).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_key_or_number() {
        let t =
            TableData::parse("t", "code", "code,name\nBIR,Birmingham\nCOV, Coventry \n").unwrap();
        assert_eq!(t.row("COV").unwrap().get("name"), "Coventry");
        assert_eq!(t.row("COV").unwrap().key(), "COV");
        assert!(t.row("SOL").is_none());
        let n = TableData::parse("t", "#", "code,name\nBIR,Birmingham\nCOV,Coventry\n").unwrap();
        assert_eq!(n.row("2").unwrap().get("code"), "COV");
        assert_eq!(
            t.require(&["code", "region"]).unwrap_err(),
            "table `t` has no column `region`"
        );
    }

    #[test]
    fn an_unquoted_comma_in_the_last_column_stays_in_its_text() {
        let t = TableData::parse("t", "round", "round,note\n2008-11,37% three, 50% two\n").unwrap();
        assert_eq!(t.row("2008-11").unwrap().get("note"), "37% three, 50% two");
        assert_eq!(
            TableData::parse("t", "round", "round,a,note\n2008-11\n").unwrap_err(),
            "row 1 has 1 fields, but the header has 3"
        );
    }

    #[test]
    fn keys_are_unique() {
        assert_eq!(
            TableData::parse("t", "code", "code,name\nBIR,a\nBIR,b\n").unwrap_err(),
            "two rows have the key `BIR` in column `code`; keys must be unique"
        );
        assert_eq!(
            TableData::parse("t", "id", "code,name\n").unwrap_err(),
            "no key column `id` in the header"
        );
    }

    #[test]
    fn corrections_apply_to_their_cell_and_never_to_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), "code,region\nBMH,\nPOL,\n").unwrap();
        let table = Table {
            id: "t".into(),
            title: "T".into(),
            publisher: "P".into(),
            file: "t.csv".into(),
            key: "code".into(),
            licence: "L".into(),
            url: None,
            date: None,
        };
        let cell = |row: &str, column: &str| Cell {
            table: "t".into(),
            row: row.into(),
            column: column.into(),
            value: "South West".into(),
            reason: "blank".into(),
        };
        let cells = [
            cell("BMH", "region"),
            cell("BMH", "code"),
            cell("XYZ", "region"),
            cell("POL", "area"),
        ];
        let (t, bad) = TableData::read(dir.path(), &table, &cells).unwrap();
        assert_eq!(t.row("BMH").unwrap().get("region"), "South West");
        assert_eq!(t.row("POL").unwrap().get("region"), "");
        let bad: Vec<(usize, &str, &str)> = bad
            .iter()
            .map(|b| (b.cell, b.field, b.message.as_str()))
            .collect();
        assert_eq!(
            bad,
            [
                (
                    1,
                    "column",
                    "`code` is the key column of table `t` and cannot be corrected"
                ),
                (2, "row", "table `t` has no row `XYZ`"),
                (3, "column", "table `t` has no column `area`"),
            ]
        );
        let outside = Table {
            file: "../t.csv".into(),
            ..table
        };
        assert!(TableData::read(dir.path(), &outside, &[])
            .unwrap_err()
            .starts_with("table file `../t.csv` must be a path inside"));
    }
}
