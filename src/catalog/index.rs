//! The tantivy index of the catalogue: schema from the config, built in RAM at startup, and the
//! candidate search that every turn uses.
//!
//! Facets are `STRING | FAST`, texts are stemmed for their language, numbers are `FAST`. Each
//! document carries its product ordinal so results map straight back to the product list.

use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::merge_policy::NoMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, Score, Searcher, SegmentReader, TantivyDocument, Term,
};

use super::config::{CatalogConfig, TextLanguage};
use super::filter::{Condition, NumberRef};
use super::store::Row;

mod raw;

pub use raw::RawWork;

const ORDINAL: &str = "ordinal";
const LISTED: &str = "listed";
const WRITER_MEMORY: usize = 64_000_000;
const WRITER_THREADS: usize = 2;

/// Errors from the search index. They mean a bug or resource exhaustion, never bad input.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy refused to build or search the index.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index was searched before it was committed (a bug).
    #[error("the search index is not committed yet")]
    NotCommitted,
}

/// The built index with the fields it was built with.
pub struct SearchIndex {
    index: Index,
    /// Set once the builder has committed.
    reader: Option<IndexReader>,
    ordinal: Field,
    /// The title and every text field: what a free-text wish searches.
    texts: Vec<Field>,
    /// The text fields whose typed words filter (`filter: true`).
    filtering: Vec<Field>,
    listed: Field,
    price: Field,
    numbers: Vec<Field>,
    facets: Vec<Field>,
}

/// An index being filled; [`IndexBuilder::finish`] commits it.
pub struct IndexBuilder {
    writer: IndexWriter,
    index: SearchIndex,
}

impl IndexBuilder {
    /// Adds one product (its ordinal, fields and texts) to the index.
    pub fn add(
        &mut self,
        ordinal: u32,
        row: &Row<'_>,
        texts: Vec<String>,
    ) -> Result<(), IndexError> {
        let fields = &self.index;
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.ordinal, u64::from(ordinal));
        doc.add_text(fields.listed, if row.listed { "true" } else { "false" });
        if let Some(value) = row.price {
            doc.add_f64(fields.price, value);
        }
        for (field, value) in fields.numbers.iter().zip(&row.numbers) {
            if let Some(value) = value {
                doc.add_f64(*field, *value);
            }
        }
        for (field, values) in fields.facets.iter().zip(&row.facets) {
            for value in values {
                doc.add_text(*field, value);
            }
        }
        let mut text_fields = fields.texts.iter();
        if let Some(title) = text_fields.next() {
            doc.add_text(*title, &row.title);
        }
        for (field, text) in text_fields.zip(texts) {
            doc.add_text(*field, text);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Commits every added product and opens the index for search.
    pub fn finish(mut self) -> Result<SearchIndex, IndexError> {
        self.writer.commit()?;
        drop(self.writer);
        let mut index = self.index;
        index.reader = Some(index.index.reader()?);
        Ok(index)
    }
}

impl SearchIndex {
    /// Starts an index in memory for the catalogue's fields; products are added one by one.
    pub fn builder(config: &CatalogConfig) -> Result<IndexBuilder, IndexError> {
        let mut builder = Schema::builder();
        let ordinal = builder.add_u64_field(ORDINAL, FAST | INDEXED);
        let listed = builder.add_text_field(LISTED, STRING);
        let price = builder.add_f64_field("price", FAST | INDEXED);
        let numbers: Vec<Field> = config
            .numbers
            .iter()
            .map(|n| builder.add_f64_field(&format!("number_{}", n.name), FAST | INDEXED))
            .collect();
        let facets: Vec<Field> = config
            .facets
            .iter()
            .map(|f| builder.add_text_field(&format!("facet_{}", f.name), STRING | FAST))
            .collect();
        let title = builder.add_text_field("title", text_options(config.language));
        let texts: Vec<Field> = config
            .texts
            .iter()
            .map(|t| builder.add_text_field(&format!("text_{}", t.name), text_options(t.language)))
            .collect();
        let index = Index::create_in_ram(builder.build());
        for language in
            std::iter::once(config.language).chain(config.texts.iter().map(|t| t.language))
        {
            index
                .tokenizers()
                .register(&analyzer_name(language), analyzer(language));
        }
        let writer: IndexWriter = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
        // Built once at startup: merging segments would only cost time.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let filtering = config
            .texts
            .iter()
            .zip(&texts)
            .filter(|(config, _)| config.filter)
            .map(|(_, field)| *field)
            .collect();
        Ok(IndexBuilder {
            writer,
            index: Self {
                index,
                reader: None,
                ordinal,
                texts: std::iter::once(title).chain(texts).collect(),
                filtering,
                listed,
                price,
                numbers,
                facets,
            },
        })
    }

    fn searcher(&self) -> Result<Searcher, IndexError> {
        match &self.reader {
            Some(reader) => Ok(reader.searcher()),
            None => Err(IndexError::NotCommitted),
        }
    }

    /// Ordinals of the products meeting the condition, ascending.
    pub fn search(&self, condition: &Condition) -> Result<Vec<u32>, IndexError> {
        let query = self.query(condition);
        let searcher = self.searcher()?;
        let mut ordinals = searcher.search(query.as_ref(), &OrdinalCollector)?;
        ordinals.sort_unstable();
        Ok(ordinals)
    }

    fn query(&self, condition: &Condition) -> Box<dyn Query> {
        match condition {
            Condition::All(inner) if inner.is_empty() => Box::new(AllQuery),
            Condition::All(inner) => Box::new(BooleanQuery::new(
                inner.iter().map(|c| (Occur::Must, self.query(c))).collect(),
            )),
            Condition::Any(inner) if inner.is_empty() => Box::new(EmptyQuery),
            Condition::Any(inner) => Box::new(BooleanQuery::new(
                inner
                    .iter()
                    .map(|c| (Occur::Should, self.query(c)))
                    .collect(),
            )),
            Condition::Facet { facet, values } => match self.facets.get(*facet) {
                Some(field) => Box::new(BooleanQuery::new(
                    values
                        .iter()
                        .map(|value| {
                            let term = Term::from_field_text(*field, value);
                            let query: Box<dyn Query> =
                                Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                            (Occur::Should, query)
                        })
                        .collect(),
                )),
                None => Box::new(EmptyQuery),
            },
            Condition::Range { number, min, max } => {
                let field = match number {
                    NumberRef::Price => Some(self.price),
                    NumberRef::Number(index) => self.numbers.get(*index).copied(),
                };
                match field {
                    Some(field) if min.is_some() || max.is_some() => {
                        let lower = min.map_or(Bound::Unbounded, |m| {
                            Bound::Included(Term::from_field_f64(field, m))
                        });
                        let upper = max.map_or(Bound::Unbounded, |m| {
                            Bound::Excluded(Term::from_field_f64(field, m))
                        });
                        Box::new(RangeQuery::new(lower, upper))
                    }
                    // A range without bounds means "has a value"; validated files never build it.
                    Some(field) => Box::new(RangeQuery::new(
                        Bound::Included(Term::from_field_f64(field, f64::MIN)),
                        Bound::Unbounded,
                    )),
                    None => Box::new(EmptyQuery),
                }
            }
            Condition::Listed => Box::new(TermQuery::new(
                Term::from_field_text(self.listed, "true"),
                IndexRecordOption::Basic,
            )),
            Condition::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.query(inner)),
            ])),
            Condition::Ordinals(ordinals) => Box::new(TermSetQuery::new(
                ordinals
                    .iter()
                    .map(|o| Term::from_field_u64(self.ordinal, u64::from(*o))),
            )),
        }
    }

    /// Full-text search over the title and text fields: the words of `text` that occur in the
    /// catalogue at all, and the ordinals (ascending) of the products mentioning any of them.
    pub fn search_text(&self, text: &str) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        self.search_fields(text, &self.texts)
    }

    /// [`Self::search_text`] over the text fields marked `filter: true` only.
    pub fn search_filtering_text(&self, text: &str) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        self.search_fields(text, &self.filtering)
    }

    fn search_fields(
        &self,
        text: &str,
        fields: &[Field],
    ) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        let searcher = self.searcher()?;
        let mut known = Vec::new();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in text.split_whitespace() {
            let mut found = false;
            for field in fields {
                let mut analyzer = self.index.tokenizer_for_field(*field)?;
                let mut stream = analyzer.token_stream(word);
                while let Some(token) = stream.next() {
                    let term = Term::from_field_text(*field, &token.text);
                    if searcher.doc_freq(&term)? > 0 {
                        found = true;
                        should.push((
                            Occur::Should,
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                        ));
                    }
                }
            }
            if found {
                known.push(word.to_string());
            }
        }
        if should.is_empty() {
            return Ok((Vec::new(), known));
        }
        let mut ordinals = searcher.search(&BooleanQuery::new(should), &OrdinalCollector)?;
        ordinals.sort_unstable();
        Ok((ordinals, known))
    }
}

fn text_options(language: TextLanguage) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(&analyzer_name(language))
            // Free text is a bag of words: no phrase queries, so no positions.
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn analyzer_name(language: TextLanguage) -> String {
    format!("advisor_{}", language.code())
}

fn analyzer(language: TextLanguage) -> TextAnalyzer {
    let tantivy_language = match language {
        TextLanguage::English => Language::English,
        TextLanguage::German => Language::German,
        TextLanguage::French => Language::French,
        TextLanguage::Spanish => Language::Spanish,
        TextLanguage::Italian => Language::Italian,
        TextLanguage::Dutch => Language::Dutch,
        TextLanguage::Portuguese => Language::Portuguese,
    };
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match StopWordFilter::new(tantivy_language) {
        Some(stop_words) => builder
            .filter(stop_words)
            .filter(Stemmer::new(tantivy_language))
            .build(),
        None => builder.filter(Stemmer::new(tantivy_language)).build(),
    }
}

/// Collects product ordinals from the fast field, without scoring.
struct OrdinalCollector;

struct OrdinalSegmentCollector {
    column: tantivy::columnar::Column<u64>,
    found: Vec<u32>,
}

impl Collector for OrdinalCollector {
    type Fruit = Vec<u32>;
    type Child = OrdinalSegmentCollector;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(OrdinalSegmentCollector {
            column: segment.fast_fields().u64(ORDINAL)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for OrdinalSegmentCollector {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(ordinal) = self.column.first(doc) {
            self.found.push(ordinal as u32);
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.found
    }
}
