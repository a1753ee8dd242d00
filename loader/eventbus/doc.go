// Package eventbus serves the events of a pin root's one ring buffer
// reader to any number of clients over a Unix socket.
//
// A ring buffer has a single consumer position: two readers split its
// records between them and, racing on the position, read garbage. So one
// process per pin root reads it, the owner, holding the pin root's reader
// lock (loader.LockReader): polrun serve, polrun run, or the first polrun
// events. The owner runs a [Hub] on RunDir/events.sock (loader.RunDir: a
// directory of /run/polrun, mode 0700; the socket is 0600) and publishes
// every event it decodes; a later polrun events finds the lock held and
// attaches as a [Client].
//
// The owner sends decoded events, not raw records: decoding needs the
// process cache, which the owner keeps from exec records matched with /proc
// while the processes still run, and which a client attaching later
// could not rebuild. Each event goes as the line the client prints (its
// format, JSON or compact, chosen at attach time, encoded once per event
// whatever the number of clients), with its policy and hook for the
// client's metrics, and a sequence number the owner gives every event it
// publishes.
//
// Each client has its own bounded queue at the owner. Publish never waits:
// an event that does not fit in a client's queue is counted as lost for
// that client only, and the client is told, in order in its stream, which
// sequence numbers it lost ([Lost]), so that every sequence number from the
// one in [Welcome] on is either received or reported lost. A slow client
// slows neither the ring buffer reader nor the other clients. The owner's
// own counts (records lost to a full ring buffer, undecodable records) go
// to clients every second.
//
// Only the owner's user may attach: the hub checks each connection's peer
// credentials (SO_PEERCRED) and refuses others with a message; the client
// checks the owner's too. When the owner stops, [Hub.Close] sends every
// client what is still in its queue and a goodbye saying why;
// [Client.Next] then returns an [*OwnerGoneError] (also when the
// connection breaks without one). polrun events then takes the reader lock
// over, or attaches to whoever took it.
//
// # Wire format
//
// Frames of [type byte][length uint32 little endian][payload]. The client
// sends one hello (JSON: format, policy); the owner answers a welcome
// (JSON: pid, command, pin root, next sequence number, queue length) or a
// goodbye, then sends events, lost runs, stats (JSON loader.StreamStats)
// and finally a goodbye.
package eventbus
