package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Format is a record rendering. Every format is made from the same
// prompt, response and metadata.
type Format string

// The record formats.
const (
	// FormatSFT writes {"prompt", "response", "metadata"}.
	FormatSFT Format = "sft"
	// FormatMessages writes {"messages": [system, user, assistant], "metadata"}.
	FormatMessages Format = "messages"
	// FormatCompletion writes {"prompt", "completion", "metadata"}.
	FormatCompletion Format = "completion"
	// FormatAlpaca writes {"instruction", "input", "output", "metadata"}.
	FormatAlpaca Format = "alpaca"
)

// Formats lists every supported format.
var Formats = []Format{FormatSFT, FormatMessages, FormatCompletion, FormatAlpaca}

// Validate reports whether f is a known format.
func (f Format) Validate() error {
	for _, k := range Formats {
		if f == k {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q (want sft, messages, completion or alpaca)", string(f))
}

// Message is one chat message of the messages format.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type sftLine[M any] struct {
	Prompt   string `json:"prompt"`
	Response string `json:"response"`
	Metadata M      `json:"metadata"`
}

type messagesLine[M any] struct {
	Messages []Message `json:"messages"`
	Metadata M         `json:"metadata"`
}

type completionLine[M any] struct {
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
	Metadata   M      `json:"metadata"`
}

type alpacaLine[M any] struct {
	Instruction string `json:"instruction"`
	Input       string `json:"input"`
	Output      string `json:"output"`
	Metadata    M      `json:"metadata"`
}

// Encode renders one record as a JSON line (without the newline). HTML
// characters are not escaped, so placeholders such as <EMAIL> stay legible.
func (f Format) Encode(system, prompt, response string, metadata any) ([]byte, error) {
	v, err := f.line(system, prompt, response, metadata)
	if err != nil {
		return nil, err
	}
	return marshalLine(v)
}

// line is the value [Format.Encode] encodes.
func (f Format) line(system, prompt, response string, metadata any) (any, error) {
	switch f {
	case FormatSFT, "":
		return sftLine[any]{prompt, response, metadata}, nil
	case FormatMessages:
		return messagesLine[any]{[]Message{
			{"system", system}, {"user", prompt}, {"assistant", response},
		}, metadata}, nil
	case FormatCompletion:
		return completionLine[any]{prompt, response, metadata}, nil
	case FormatAlpaca:
		return alpacaLine[any]{system, prompt, response, metadata}, nil
	}
	return nil, f.Validate()
}

// marshalLine encodes v as one JSON line without HTML escaping and without
// the trailing newline.
func marshalLine(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
