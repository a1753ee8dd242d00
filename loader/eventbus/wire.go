package eventbus

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame types.
const (
	frameHello   = 'H' // client: hello
	frameWelcome = 'W' // owner: welcome
	frameEvent   = 'E' // owner: one event
	frameLost    = 'L' // owner: a run of events lost in the client's queue
	frameStats   = 'S' // owner: its stream's counts
	frameBye     = 'B' // owner: it stops, or refuses the client
)

// protocolVersion changes with any change of the frames.
const protocolVersion = 1

// maxFrame bounds a frame's payload: an event line is at most a few
// hundred kilobytes (arguments, stack traces).
const maxFrame = 16 << 20

// Format is the format of the lines a client receives.
type Format string

const (
	FormatJSON    Format = "json"    // Tetragon's JSON export, one object
	FormatCompact Format = "compact" // loader.Event.Compact
)

func (f Format) valid() bool { return f == FormatJSON || f == FormatCompact }

// hello is what a client asks for.
type hello struct {
	Version int    `json:"version"`
	Format  Format `json:"format"`
	Policy  string `json:"policy,omitempty"`
}

// Welcome is the owner's answer to a client.
type Welcome struct {
	Version int    `json:"version"`
	PID     int    `json:"pid"`
	Command string `json:"command"`
	PinRoot string `json:"pin_root"`
	// Seq is the sequence number of the next event the owner publishes:
	// the client receives, or is told it lost, every event from Seq on
	// (of its policy, when it asked for one).
	Seq uint64 `json:"seq"`
	// Queue is how many events may wait for the client at the owner.
	Queue int `json:"queue"`
}

// Lost is a run of events the owner could not queue for a client: Count
// events with sequence numbers from First to Last (events of other
// policies, for a client of one policy, are in the range but not
// counted).
type Lost struct {
	First, Last, Count uint64
}

func appendFrame(dst []byte, typ byte, payload []byte) []byte {
	dst = append(dst, typ)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	return append(dst, payload...)
}

// eventFrame is an event frame: seq, the policy, hook kind and target as
// 16-bit-length strings, then the line.
func eventFrame(seq uint64, policy, hookKind, hookTarget string, line []byte) []byte {
	n := 8 + 6 + len(policy) + len(hookKind) + len(hookTarget) + len(line)
	b := make([]byte, 0, 5+n)
	b = append(b, frameEvent)
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	b = binary.LittleEndian.AppendUint64(b, seq)
	for _, s := range []string{policy, hookKind, hookTarget} {
		s = s[:min(len(s), 0xffff)]
		b = binary.LittleEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	return append(b, line...)
}

func lostFrame(l Lost) []byte {
	var p [24]byte
	binary.LittleEndian.PutUint64(p[0:], l.First)
	binary.LittleEndian.PutUint64(p[8:], l.Last)
	binary.LittleEndian.PutUint64(p[16:], l.Count)
	return appendFrame(nil, frameLost, p[:])
}

var errFrame = errors.New("malformed frame")

func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.LittleEndian.Uint32(h[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("%w: %d bytes", errFrame, n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return h[0], p, nil
}

func parseEvent(p []byte) (*Event, error) {
	if len(p) < 8 {
		return nil, errFrame
	}
	ev := &Event{Seq: binary.LittleEndian.Uint64(p)}
	p = p[8:]
	for _, s := range []*string{&ev.Policy, &ev.HookKind, &ev.HookTarget} {
		if len(p) < 2 {
			return nil, errFrame
		}
		n := int(binary.LittleEndian.Uint16(p))
		if len(p) < 2+n {
			return nil, errFrame
		}
		*s = string(p[2 : 2+n])
		p = p[2+n:]
	}
	ev.Line = p
	return ev, nil
}

func parseLost(p []byte) (Lost, error) {
	if len(p) != 24 {
		return Lost{}, errFrame
	}
	return Lost{binary.LittleEndian.Uint64(p), binary.LittleEndian.Uint64(p[8:]), binary.LittleEndian.Uint64(p[16:])}, nil
}
