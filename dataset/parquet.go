package dataset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// The Parquet files beside the JSONL ones: the same records and columns,
// zstd-compressed, for readers that load Parquet directly (Hugging Face
// datasets, pandas, Polars, DuckDB).
const (
	MergedParquet     = "merged_dataset.parquet"
	TrainParquet      = "train.parquet"
	ValidationParquet = "validation.parquet"
)

// parquetRowGroup is the number of records of a row group (and how many
// rows are encoded at a time).
const parquetRowGroup = 1000

// writeParquet writes the records keep says yes to (by index in recs)
// into the file name of dir in format f: the columns of the format's JSON
// line, named by its json tags, with the metadata nested as in the JSON
// (structs as groups, lists as Parquet LISTs). It stops with ctx's error
// between row groups.
func writeParquet(ctx context.Context, dir, name string, recs []MergedRecord, keep func(i int) bool, f Format, systemPrompt string) error {
	var err error
	switch f {
	case FormatSFT, "":
		err = writeParquetRows(ctx, dir, name, recs, keep, func(r *MergedRecord) sftLine[MergedMetadata] {
			return sftLine[MergedMetadata]{r.Prompt, r.Response, r.Metadata}
		})
	case FormatMessages:
		err = writeParquetRows(ctx, dir, name, recs, keep, func(r *MergedRecord) messagesLine[MergedMetadata] {
			return messagesLine[MergedMetadata]{[]Message{{"system", systemPrompt}, {"user", r.Prompt},
				{"assistant", r.Response}}, r.Metadata}
		})
	case FormatCompletion:
		err = writeParquetRows(ctx, dir, name, recs, keep, func(r *MergedRecord) completionLine[MergedMetadata] {
			return completionLine[MergedMetadata]{r.Prompt, r.Response, r.Metadata}
		})
	case FormatAlpaca:
		err = writeParquetRows(ctx, dir, name, recs, keep, func(r *MergedRecord) alpacaLine[MergedMetadata] {
			return alpacaLine[MergedMetadata]{systemPrompt, r.Prompt, r.Response, r.Metadata}
		})
	default:
		err = f.Validate()
	}
	if err != nil {
		return fmt.Errorf("dataset: %s: %w", name, err)
	}
	return nil
}

// writeParquetRows writes one row of type T per record keep says yes to,
// a row group at a time.
func writeParquetRows[T any](ctx context.Context, dir, name string, recs []MergedRecord, keep func(i int) bool, row func(*MergedRecord) T) (err error) {
	file, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}()
	opts := []parquet.WriterOption{parquet.Compression(&parquet.Zstd), parquet.CreatedBy("sftforge", "", "")}
	for _, o := range JSONParquetTags(reflect.TypeFor[T]()) {
		opts = append(opts, o)
	}
	w := parquet.NewGenericWriter[T](file, opts...)
	batch := make([]T, 0, min(len(recs), parquetRowGroup))
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := w.Write(batch); err != nil {
			return err
		}
		clear(batch)
		batch = batch[:0]
		return w.Flush()
	}
	for i := range recs {
		if !keep(i) {
			continue
		}
		batch = append(batch, row(&recs[i]))
		if len(batch) == parquetRowGroup {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	return w.Close()
}

// JSONParquetTags derives a Parquet schema from a struct type's json tags:
// one struct tag option (parquet.StructTag) per field, naming the column
// as the JSON key, marking slices as Parquet LISTs and leaving out fields
// tagged json:"-" (embedded structs are flattened, as encoding/json does).
// Give them to parquet.SchemaOf, NewGenericWriter or NewGenericReader so
// that the Parquet columns are the JSON keys of the same type, whatever
// the Go field names.
func JSONParquetTags(t reflect.Type) []parquet.SchemaOption {
	var opts []parquet.SchemaOption
	jsonParquetTags(t, nil, &opts, map[reflect.Type]bool{})
	return opts
}

// jsonParquetTags adds the options of struct t's fields under path (the
// Parquet names of the enclosing columns, with "list", "element" for list
// elements, as parquet-go matches them).
func jsonParquetTags(t reflect.Type, path []string, opts *[]parquet.SchemaOption, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	defer delete(seen, t)
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			jsonParquetTags(f.Type, path, opts, seen)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			*opts = append(*opts, parquet.StructTag(`parquet:"-"`, append(clonePath(path), f.Name)...))
			continue
		}
		if name == "" {
			name = f.Name
		}
		ft := f.Type
		tag := name
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 {
			tag += ",list"
		}
		*opts = append(*opts, parquet.StructTag(reflect.StructTag(fmt.Sprintf("parquet:%q", tag)), append(clonePath(path), f.Name)...))
		inner := append(clonePath(path), name)
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
			if ft.Kind() == reflect.Slice {
				inner = append(inner, "list", "element")
			}
			ft = ft.Elem()
		}
		jsonParquetTags(ft, inner, opts, seen)
	}
}

func clonePath(p []string) []string { return append([]string(nil), p...) }
