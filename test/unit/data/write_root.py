#!/usr/bin/python3
"""Writes small ROOT files with flat TTrees for the ROOT reader tests, with plain Python + numpy + zlib.

No ROOT, uproot or jsroot is used: the bytes follow the ROOT file format description (TFile header,
TKey, TDirectory, keys list, free segments, StreamerInfo list) and the class layouts of ROOT 6 (TTree
v20, TBranch v13, TLeaf v2, TLeaf<X> v1, TAttLine/TAttFill/TAttMarker v2, ROOT::TIOFeatures), each
described by a TStreamerInfo written into the file. Limits: streamer-info checksums are not ROOT's own
(except ROOT::TIOFeatures, which is read by checksum), files stay below 2 GB (32-bit seeks).

Usage: write_root.py OUTDIR   writes the fixture files and, for every branch, OUTDIR/<file>.<tree>.<branch>.f64
(the values as little-endian float64) plus OUTDIR/<file>.<tree>.<branch>.i64 for 64-bit integer branches.
"""
import os
import struct
import sys
import zlib

import numpy as np

K_BYTE_COUNT = 0x40000000
K_NEW_CLASS = 0xFFFFFFFF
K_CLASS_MASK = 0x80000000
K_MAP_OFFSET = 2
OBJECT_BITS = 0x03000000  # kNotDeleted | kIsOnHeap, as ROOT writes them
DATIME = (2024 - 1995) << 26 | 5 << 22 | 17 << 17 | 12 << 12 | 30 << 6  # 2024-05-17 12:30:00
# fNbytes fVersion fObjlen fDatime fKeylen fCycle fSeekKey fSeekPdir; key versions above 1000 have 64-bit seeks
KEY_HEADERS = {False: (4, struct.Struct(">ihiIhhii")), True: (1004, struct.Struct(">ihiIhhqq"))}
BASKET_HEADER = struct.Struct(">hiiiib")  # version fBufferSize fNevBufSize fNevBuf fLast flag
BEGIN = 100

# TStreamerElement type codes (TVirtualStreamerInfo::EReadWrite).
K_CHAR, K_SHORT, K_INT, K_FLOAT, K_COUNTER, K_DOUBLE = 1, 2, 3, 5, 6, 8
K_UCHAR, K_UINT, K_BITS, K_LONG64, K_BOOL = 11, 13, 15, 16, 18
K_OFFSET_P = 40
K_OBJECT, K_ANY, K_OBJECTP_TOBJECT, K_TSTRING, K_TOBJECT, K_TNAMED = 61, 62, 64, 65, 66, 67

# numpy dtype → (TLeaf class, branch type letter, C type of fMinimum/fMaximum, element code, size)
LEAVES = {
    "f4": ("TLeafF", "F", "Float_t", K_FLOAT, 4),
    "f8": ("TLeafD", "D", "Double_t", K_DOUBLE, 8),
    "i4": ("TLeafI", "I", "Int_t", K_INT, 4),
    "u4": ("TLeafI", "i", "Int_t", K_INT, 4),
    "i8": ("TLeafL", "L", "Long64_t", K_LONG64, 8),
    "u8": ("TLeafL", "l", "Long64_t", K_LONG64, 8),
    "i2": ("TLeafS", "S", "Short_t", K_SHORT, 2),
    "u2": ("TLeafS", "s", "Short_t", K_SHORT, 2),
    "i1": ("TLeafB", "B", "Char_t", K_CHAR, 1),
    "u1": ("TLeafB", "b", "Char_t", K_CHAR, 1),
    "b1": ("TLeafO", "O", "Bool_t", K_BOOL, 1),
}


def tstring(s):
    raw = s.encode()
    return (bytes([len(raw)]) if len(raw) < 255 else b"\xff" + struct.pack(">i", len(raw))) + raw


class Buffer:
    """Big-endian object buffer that knows where it will sit in its key, for ROOT's class and object tags."""

    def __init__(self, tag_offset):
        self.b = bytearray()
        self.tag_offset = tag_offset
        self.classes = {}

    def pack(self, fmt, *values):
        self.b += struct.pack(">" + fmt, *values)

    def string(self, s):
        self.b += tstring(s)

    def versioned(self, version, body):
        """Byte count + class version, then the members (TBufferFile::WriteVersion with kByteCountMask)."""
        start = len(self.b)
        self.pack("Ih", 0, version)
        body()
        struct.pack_into(">I", self.b, start, (len(self.b) - start - 4) | K_BYTE_COUNT)

    def object_any(self, classname, body):
        """A non-null object pointer (WriteObjectAny): byte count, new class tag or class reference, object.
        Returns the object's tag, by which later pointers to the same object refer to it."""
        start = len(self.b)
        self.pack("I", 0)
        if classname in self.classes:
            self.pack("I", self.classes[classname] | K_CLASS_MASK)
        else:
            self.classes[classname] = self.tag_offset + len(self.b) + K_MAP_OFFSET
            self.pack("I", K_NEW_CLASS)
            self.b += classname.encode() + b"\0"
        body()
        struct.pack_into(">I", self.b, start, (len(self.b) - start - 4) | K_BYTE_COUNT)
        return self.tag_offset + start + K_MAP_OFFSET

    def null_pointer(self):
        self.pack("I", 0)

    # --- TObject, TNamed, collections -------------------------------------------------------------
    def tobject(self):
        self.pack("hII", 1, 0, OBJECT_BITS)

    def tnamed(self, name, title):
        self.versioned(1, lambda: (self.tobject(), self.string(name), self.string(title)))

    def tobjarray(self, items):
        """items: callables that each write one element (an object pointer or a reference)."""

        def body():
            self.tobject()
            self.string("")
            self.pack("ii", len(items), 0)  # fSize, fLowerBound
            for write in items:
                write()

        self.versioned(3, body)

    def tlist(self, items):
        def body():
            self.tobject()
            self.string("")
            self.pack("i", len(items))
            for write in items:
                write()
                self.string("")  # option

        self.versioned(5, body)

    def tiofeatures(self):
        # ROOT writes this non-TObject class as version 0 followed by its streamer-info checksum.
        self.versioned(0, lambda: self.pack("IB", TIOFEATURES_CHECKSUM, 0))


# --- TTree, TBranch, TLeaf ---------------------------------------------------------------------------


def dims_of(branch):
    """The leaf's dimensions as ROOT spells them in titles: [counter] for a jagged branch, then [n] per fixed axis."""
    return (f"[{branch['counter']}]" if branch["counter"] else "") + "".join(f"[{n}]" for n in branch["shape"])


def write_leaf(buf, branch, leaf_tags, counted):
    cls, _, ctype, _, size = LEAVES[branch["dtype"]]
    fmt = {"Float_t": "f", "Double_t": "d", "Int_t": "i", "Long64_t": "q", "Short_t": "h", "Char_t": "b", "Bool_t": "?"}[ctype]
    length = int(np.prod(branch["shape"], dtype=np.int64))
    unsigned = branch["dtype"].startswith("u")
    is_counter = branch["name"] in counted

    def tleaf():
        buf.tnamed(branch["name"], branch["name"] + dims_of(branch))
        buf.pack("iii??", length, size, 0, is_counter, unsigned)  # fLen fLenType fOffset fIsRange fIsUnsigned
        if branch["counter"]:
            buf.pack("I", leaf_tags[branch["counter"]])  # fLeafCount: the counter's leaf, written before
        else:
            buf.null_pointer()

    def body():
        buf.versioned(2, tleaf)
        buf.pack(fmt * 2, 0, int(branch["values"].max()) if is_counter else 0)  # fMinimum, fMaximum

    return buf.object_any(cls, lambda: buf.versioned(1, body))


def write_branch(buf, branch, leaf_tags, counted):
    _, letter, _, _, size = LEAVES[branch["dtype"]]
    dims = dims_of(branch)
    baskets = branch["baskets"]
    max_baskets = len(baskets) + 1
    entries = branch["entries"]

    def body():
        buf.tnamed(branch["name"], f"{branch['name']}{dims}/{letter}")
        buf.versioned(2, lambda: buf.pack("hh", 0, 1001))  # TAttFill
        # fCompress fBasketSize fEntryOffsetLen fWriteBasket fEntryNumber
        offset_len = 1000 if branch["counter"] else 0  # ROOT's default fEntryOffsetLen for variable-size entries
        buf.pack("iiiiq", branch["compress"], 32000, offset_len, len(baskets), entries)
        buf.tiofeatures()
        # fOffset fMaxBaskets fSplitLevel fEntries fFirstEntry fTotBytes fZipBytes
        tot = sum(b["objlen"] + b["keylen"] for b in baskets)
        zipped = sum(b["nbytes"] for b in baskets)
        buf.pack("iiiqqqq", 0, max_baskets, 0, entries, 0, tot, zipped)
        buf.tobjarray([])  # fBranches
        buf.tobjarray([lambda: leaf_tags.__setitem__(branch["name"], write_leaf(buf, branch, leaf_tags, counted))])
        buf.tobjarray([])  # fBaskets: every basket is on disk
        buf.pack("B", 1)
        buf.pack(f"{max_baskets}i", *[b["nbytes"] for b in baskets], 0)
        buf.pack("B", 1)
        buf.pack(f"{max_baskets}q", *[b["first"] for b in baskets], entries)
        buf.pack("B", 1)
        buf.pack(f"{max_baskets}q", *[b["seek"] for b in baskets], 0)
        buf.string("")  # fFileName

    buf.object_any("TBranch", lambda: buf.versioned(13, body))


def tree_object(tree, tag_offset):
    buf = Buffer(tag_offset)
    leaf_tags = {}
    counted = {br["counter"] for br in tree["branches"]}
    entries = tree["entries"]
    tot = sum(sum(b["objlen"] + b["keylen"] for b in br["baskets"]) for br in tree["branches"])
    zipped = sum(sum(b["nbytes"] for b in br["baskets"]) for br in tree["branches"])

    def body():
        buf.tnamed(tree["name"], tree["title"])
        buf.versioned(2, lambda: buf.pack("hhh", 602, 1, 1))  # TAttLine
        buf.versioned(2, lambda: buf.pack("hh", 0, 1001))  # TAttFill
        buf.versioned(2, lambda: buf.pack("hhf", 1, 1, 1.0))  # TAttMarker
        # fEntries fTotBytes fZipBytes fSavedBytes fFlushedBytes fWeight fTimerInterval fScanField fUpdate
        # fDefaultEntryOffsetLen fNClusterRange fMaxEntries fMaxEntryLoop fMaxVirtualSize fAutoSave fAutoFlush fEstimate
        buf.pack("qqqqqdiiiiiqqqqqq", entries, tot, zipped, zipped, zipped, 1.0, 0, 25, 0, 1000, 0,
                 1000000000000, 1000000000000, 0, -300000000, -30000000, 1000000)
        buf.pack("BB", 0, 0)  # fClusterRangeEnd, fClusterSize: null arrays (fNClusterRange = 0)
        buf.tiofeatures()
        buf.tobjarray([lambda br=br: write_branch(buf, br, leaf_tags, counted) for br in tree["branches"]])
        buf.tobjarray([lambda br=br: buf.pack("I", leaf_tags[br["name"]]) for br in tree["branches"]])
        buf.null_pointer()  # fAliases
        buf.pack("ii", 0, 0)  # fIndexValues, fIndex: empty TArrayD / TArrayI
        for _ in range(4):  # fTreeIndex fFriends fUserInfo fBranchRef
            buf.null_pointer()

    buf.versioned(20, body)
    return bytes(buf.b)


# --- streamer infos ----------------------------------------------------------------------------------

TIOFEATURES_CHECKSUM = 0x1AA12F10
SIZES = {K_CHAR: 1, K_SHORT: 2, K_INT: 4, K_COUNTER: 4, K_FLOAT: 4, K_DOUBLE: 8, K_UCHAR: 1, K_UINT: 4, K_BITS: 4, K_LONG64: 8, K_BOOL: 1}


def base(name, version, code=0):
    return ("TStreamerBase", name, "", code, 0, "BASE", version)


def basic(name, ctype, code, title=""):
    return ("TStreamerBasicType", name, title, code, SIZES[code], ctype, None)


def pointer_array(name, ctype, code, count, count_class, count_version):
    return ("TStreamerBasicPointer", name, f"[{count}]", K_OFFSET_P + code, 8, ctype + "*", (count_version, count, count_class))


def member(kind, name, typename, code, size):
    return (kind, name, "", code, size, typename, None)


def leaf_info(cls, ctype, code):
    return (cls, 1, [base("TLeaf", 2), basic("fMinimum", ctype, code), basic("fMaximum", ctype, code)])


STREAMER_INFOS = [
    ("TObject", 1, [basic("fUniqueID", "unsigned int", K_UINT), basic("fBits", "unsigned int", K_BITS)]),
    ("TNamed", 1, [base("TObject", 1, K_TOBJECT), member("TStreamerString", "fName", "TString", K_TSTRING, 24),
                   member("TStreamerString", "fTitle", "TString", K_TSTRING, 24)]),
    ("TAttLine", 2, [basic("fLineColor", "short", K_SHORT), basic("fLineStyle", "short", K_SHORT),
                     basic("fLineWidth", "short", K_SHORT)]),
    ("TAttFill", 2, [basic("fFillColor", "short", K_SHORT), basic("fFillStyle", "short", K_SHORT)]),
    ("TAttMarker", 2, [basic("fMarkerColor", "short", K_SHORT), basic("fMarkerStyle", "short", K_SHORT),
                       basic("fMarkerSize", "float", K_FLOAT)]),
    ("ROOT::TIOFeatures", 1, [basic("fIOBits", "unsigned char", K_UCHAR)]),
    ("TTree", 20, [
        base("TNamed", 1, K_TNAMED), base("TAttLine", 2), base("TAttFill", 2), base("TAttMarker", 2),
        *[basic(n, "Long64_t", K_LONG64) for n in ("fEntries", "fTotBytes", "fZipBytes", "fSavedBytes", "fFlushedBytes")],
        basic("fWeight", "Double_t", K_DOUBLE),
        *[basic(n, "Int_t", K_INT) for n in ("fTimerInterval", "fScanField", "fUpdate", "fDefaultEntryOffsetLen")],
        basic("fNClusterRange", "Int_t", K_COUNTER),
        *[basic(n, "Long64_t", K_LONG64) for n in ("fMaxEntries", "fMaxEntryLoop", "fMaxVirtualSize", "fAutoSave",
                                                    "fAutoFlush", "fEstimate")],
        pointer_array("fClusterRangeEnd", "Long64_t", K_LONG64, "fNClusterRange", "TTree", 20),
        pointer_array("fClusterSize", "Long64_t", K_LONG64, "fNClusterRange", "TTree", 20),
        member("TStreamerObjectAny", "fIOFeatures", "ROOT::TIOFeatures", K_ANY, 1),
        member("TStreamerObject", "fBranches", "TObjArray", K_OBJECT, 64),
        member("TStreamerObject", "fLeaves", "TObjArray", K_OBJECT, 64),
        member("TStreamerObjectPointer", "fAliases", "TList*", K_OBJECTP_TOBJECT, 8),
        member("TStreamerObjectAny", "fIndexValues", "TArrayD", K_ANY, 24),
        member("TStreamerObjectAny", "fIndex", "TArrayI", K_ANY, 24),
        member("TStreamerObjectPointer", "fTreeIndex", "TVirtualIndex*", K_OBJECTP_TOBJECT, 8),
        member("TStreamerObjectPointer", "fFriends", "TList*", K_OBJECTP_TOBJECT, 8),
        member("TStreamerObjectPointer", "fUserInfo", "TList*", K_OBJECTP_TOBJECT, 8),
        member("TStreamerObjectPointer", "fBranchRef", "TBranchRef*", K_OBJECTP_TOBJECT, 8),
    ]),
    ("TBranch", 13, [
        base("TNamed", 1, K_TNAMED), base("TAttFill", 2),
        *[basic(n, "Int_t", K_INT) for n in ("fCompress", "fBasketSize", "fEntryOffsetLen", "fWriteBasket")],
        basic("fEntryNumber", "Long64_t", K_LONG64),
        member("TStreamerObjectAny", "fIOFeatures", "ROOT::TIOFeatures", K_ANY, 1),
        basic("fOffset", "Int_t", K_INT), basic("fMaxBaskets", "Int_t", K_COUNTER), basic("fSplitLevel", "Int_t", K_INT),
        *[basic(n, "Long64_t", K_LONG64) for n in ("fEntries", "fFirstEntry", "fTotBytes", "fZipBytes")],
        member("TStreamerObject", "fBranches", "TObjArray", K_OBJECT, 64),
        member("TStreamerObject", "fLeaves", "TObjArray", K_OBJECT, 64),
        member("TStreamerObject", "fBaskets", "TObjArray", K_OBJECT, 64),
        pointer_array("fBasketBytes", "Int_t", K_INT, "fMaxBaskets", "TBranch", 13),
        pointer_array("fBasketEntry", "Long64_t", K_LONG64, "fMaxBaskets", "TBranch", 13),
        pointer_array("fBasketSeek", "Long64_t", K_LONG64, "fMaxBaskets", "TBranch", 13),
        member("TStreamerString", "fFileName", "TString", K_TSTRING, 24),
    ]),
    ("TLeaf", 2, [
        base("TNamed", 1, K_TNAMED), basic("fLen", "Int_t", K_INT), basic("fLenType", "Int_t", K_INT),
        basic("fOffset", "Int_t", K_INT), basic("fIsRange", "Bool_t", K_BOOL), basic("fIsUnsigned", "Bool_t", K_BOOL),
        member("TStreamerObjectPointer", "fLeafCount", "TLeaf*", K_OBJECTP_TOBJECT, 8),
    ]),
    leaf_info("TLeafF", "Float_t", K_FLOAT),
    leaf_info("TLeafD", "Double_t", K_DOUBLE),
    leaf_info("TLeafI", "Int_t", K_INT),
    leaf_info("TLeafL", "Long64_t", K_LONG64),
    leaf_info("TLeafS", "Short_t", K_SHORT),
    leaf_info("TLeafB", "Char_t", K_CHAR),
    leaf_info("TLeafO", "Bool_t", K_BOOL),
]


def write_element(buf, element):
    kind, name, title, code, size, typename, extra = element

    def tstreamer_element():
        buf.tnamed(name, title)
        buf.pack("iiii5i", code, size, 0, 0, 0, 0, 0, 0, 0)  # fType fSize fArrayLength fArrayDim fMaxIndex
        buf.string(typename)

    def body():
        buf.versioned(4, tstreamer_element)
        if kind == "TStreamerBase":
            buf.pack("i", extra)  # fBaseVersion
        elif kind == "TStreamerBasicPointer":
            version, count, count_class = extra
            buf.pack("i", version)
            buf.string(count)
            buf.string(count_class)

    buf.object_any(kind, lambda: buf.versioned(3 if kind == "TStreamerBase" else 2, body))


def streamer_info_list(tag_offset):
    buf = Buffer(tag_offset)

    def info(cls, version, elements):
        def body():
            buf.tnamed(cls, "")
            checksum = TIOFEATURES_CHECKSUM if cls == "ROOT::TIOFeatures" else 0
            buf.pack("Ii", checksum, version)
            buf.object_any("TObjArray", lambda: buf.tobjarray([lambda e=e: write_element(buf, e) for e in elements]))

        return lambda: buf.object_any("TStreamerInfo", lambda: buf.versioned(9, body))

    buf.tlist([info(*i) for i in STREAMER_INFOS])
    return bytes(buf.b)


# --- the file ----------------------------------------------------------------------------------------


def compress(raw, level):
    """ROOT's zlib block: 'ZL', method 8, compressed and uncompressed sizes (3 bytes little-endian), zlib stream."""
    if level <= 0:
        return raw
    z = zlib.compress(raw, level)
    if len(z) + 9 >= len(raw):
        return raw  # ROOT keeps a block uncompressed when compression does not pay
    return b"ZL\x08" + len(z).to_bytes(3, "little") + len(raw).to_bytes(3, "little") + z


class RootFile:
    """large: the format for files above 2 GB (64-bit seeks in the header, the directory and every key)."""

    def __init__(self, path, compress_level, large=False):
        self.large = large
        self.key_version, self.key_struct = KEY_HEADERS[large]
        self.path = path
        self.name = os.path.basename(path)
        self.level = compress_level
        self.data = bytearray(BEGIN)
        self.top_keys = []
        self.keylen_file = self.key_length("TFile", self.name, "")
        self.nbytes_name = self.keylen_file + len(tstring(self.name)) + len(tstring(""))
        dir_record = 2 + 4 * 7 + 18 + 12  # TDirectory record + UUID + room for 64-bit seeks (42 + 18 when large)
        self.dir_at = BEGIN + self.nbytes_name
        objlen = self.nbytes_name - self.keylen_file + dir_record
        self.data += self.key_header("TFile", self.name, "", self.keylen_file + objlen, objlen, self.keylen_file, BEGIN, 0)
        self.data += tstring(self.name) + tstring("") + bytes(dir_record)

    def key_length(self, classname, name, title, extra=0):
        return self.key_struct.size + len(tstring(classname)) + len(tstring(name)) + len(tstring(title)) + extra

    def key_header(self, classname, name, title, nbytes, objlen, keylen, seek, pdir, cycle=1):
        fixed = self.key_struct.pack(nbytes, self.key_version, objlen, DATIME, keylen, cycle, seek, pdir)
        return fixed + tstring(classname) + tstring(name) + tstring(title)

    def add_key(self, classname, name, title, payload, objlen, keylen, extra_header=b""):
        seek = len(self.data)
        header = self.key_header(classname, name, title, keylen + len(payload), objlen, keylen, seek, BEGIN)
        self.data += header + extra_header + payload
        return seek, header

    def add_basket(self, branch, tree_name, first, n):
        """Entries first … first+n−1 of a branch as one TBasket key; a jagged branch's basket ends with the
        entry offsets (count, then where each entry starts, counted from the start of the key)."""
        keylen = self.key_length("TBasket", branch["name"], tree_name, BASKET_HEADER.size)
        big_endian = ">" + branch["dtype"] if branch["dtype"] != "b1" else "?"
        if branch["counts"] is None:
            data = branch["values"][first:first + n].astype(big_endian).tobytes()
            entry_info, tail = len(data) // n, b""
        else:
            ends = np.cumsum(branch["counts"])
            begin = ends[first - 1] if first else 0
            data = branch["values"][begin:ends[first + n - 1]].astype(big_endian).tobytes()
            starts = keylen + (np.concatenate([[begin], ends[first:first + n - 1]]) - begin) * branch["values"].itemsize
            entry_info, tail = n, struct.pack(">i", n) + starts.astype(">i4").tobytes()
        raw = data + tail
        payload = compress(raw, self.level if branch["compress"] else 0)
        extra = BASKET_HEADER.pack(3, 32000, entry_info, n, keylen + len(data), 0)
        seek, _ = self.add_key("TBasket", branch["name"], tree_name, payload, len(raw), keylen, extra)
        return {"seek": seek, "nbytes": keylen + len(payload), "objlen": len(raw), "keylen": keylen}

    def add_tree(self, tree):
        for br in tree["branches"]:
            br["baskets"] = []
            first = 0
            for n in br["basket_entries"]:
                basket = self.add_basket(br, tree["name"], first, n)
                basket["first"] = first
                br["baskets"].append(basket)
                first += n
        keylen = self.key_length("TTree", tree["name"], tree["title"])
        obj = tree_object(tree, keylen)
        _, header = self.add_key("TTree", tree["name"], tree["title"], obj, len(obj), keylen)
        self.top_keys.append(header)

    def close(self):
        keylen = self.key_length("TList", "StreamerInfo", "Doubly linked list")
        info = streamer_info_list(keylen)
        seek_info, _ = self.add_key("TList", "StreamerInfo", "Doubly linked list", compress(info, self.level), len(info), keylen)
        nbytes_info = len(self.data) - seek_info

        keylen = self.key_length("TFile", self.name, "")
        keys = struct.pack(">i", len(self.top_keys)) + b"".join(self.top_keys)
        seek_keys, _ = self.add_key("TFile", self.name, "", keys, len(keys), keylen)
        nbytes_keys = len(self.data) - seek_keys

        free_fmt = ">hqq" if self.large else ">hii"
        free_len = keylen + struct.calcsize(free_fmt)
        end = len(self.data) + free_len
        # TFree: the one free segment runs from fEND on
        free = struct.pack(free_fmt, 1001 if self.large else 1, end, 2000000000)
        seek_free, _ = self.add_key("TFile", self.name, "", free, len(free), keylen)
        assert len(self.data) == end

        compression = 100 + self.level if self.level else 0  # algorithm (1: zlib) × 100 + level
        if self.large:
            header = b"root" + struct.pack(">iiqqiiiBiqi", 1062206, BEGIN, end, seek_free, free_len, 1, self.nbytes_name, 8,
                                           compression, seek_info, nbytes_info)
        else:
            header = b"root" + struct.pack(">iiiiiiiBiii", 62206, BEGIN, end, seek_free, free_len, 1, self.nbytes_name, 4,
                                           compression, seek_info, nbytes_info)
        header += struct.pack(">h", 1) + bytes(16)  # fUUID
        self.data[0:len(header)] = header
        if self.large:
            directory = struct.pack(">hIIiiqqq", 1005, DATIME, DATIME, nbytes_keys, self.nbytes_name, BEGIN, 0, seek_keys)
        else:
            directory = struct.pack(">hIIiiiii", 5, DATIME, DATIME, nbytes_keys, self.nbytes_name, BEGIN, 0, seek_keys)
        self.data[self.dir_at:self.dir_at + len(directory)] = directory
        with open(self.path, "wb") as f:
            f.write(self.data)


def branch(name, values, basket_entries, compressed=False, shape=(), counter=None, counts=None):
    """A branch of one leaf; a jagged one (counter, counts) holds counts[i] values for entry i in `values`."""
    dtype = "b1" if values.dtype == np.bool_ else values.dtype.str[1:]
    assert dtype in LEAVES, dtype
    entries = len(values) if counts is None else len(counts)
    assert sum(basket_entries) == entries and (counts is None or counts.sum() == len(values))
    return {"name": name, "values": values, "dtype": dtype, "basket_entries": basket_entries, "compress": compressed,
            "shape": shape, "counter": counter, "counts": counts, "entries": entries}


def even_baskets(n, size):
    return [min(size, n - i) for i in range(0, n, size)]


def write(outdir, filename, trees, level=1, large=False):
    f = RootFile(os.path.join(outdir, filename), level, large)
    for name, branches in trees:
        entries = branches[0]["entries"] if branches else 0
        f.add_tree({"name": name, "title": f"{name} tree", "entries": entries, "branches": branches})
        for br in branches:
            ref = os.path.join(outdir, f"{filename}.{name}.{br['name']}")
            br["values"].astype("<f8").tofile(ref + ".f64")
            if br["dtype"] in ("i8", "u8"):
                br["values"].astype("<i8").tofile(ref + ".i64")
    f.close()


def main(outdir):
    rng = np.random.default_rng(20240517)
    n = 2500
    njet = rng.integers(0, 6, n).astype(np.int32)
    events = [
        branch("px", rng.normal(0, 50, n).astype(np.float32), even_baskets(n, 300), compressed=True),
        branch("energy", rng.exponential(100, n), even_baskets(n, 777)),
        branch("nhits", rng.integers(-2**31, 2**31, n, dtype=np.int32), even_baskets(n, 1000), compressed=True),
        branch("evtid", rng.integers(-2**52, 2**52, n, dtype=np.int64), [1, 499, 1200, 800]),
        branch("flags", rng.integers(0, 2**32, n, dtype=np.uint32), even_baskets(n, 640), compressed=True),
        branch("charge", rng.integers(-3, 4, n).astype(np.int16), even_baskets(n, 2500)),
        branch("tag", rng.integers(0, 256, n).astype(np.uint8), even_baskets(n, 900), compressed=True),
        branch("trigger", rng.random(n) < 0.3, even_baskets(n, 1100)),
        branch("is_signal", (rng.random(n) < 0.1).astype(np.int32), even_baskets(n, 512), compressed=True),
        branch("p4", rng.normal(0, 1, (n, 4)).astype(np.float32), even_baskets(n, 400), shape=(4,)),
        branch("njet", njet, even_baskets(n, 1000)),
        branch("jet_pt", rng.exponential(40, njet.sum()).astype(np.float32), even_baskets(n, 700), counter="njet",
               counts=njet),
    ]
    meta = [branch("run", np.arange(10, dtype=np.int32) + 1000, [10])]
    write(outdir, "flat.root", [("events", events), ("meta", meta)])

    m = 1500
    x = rng.normal(0, 1, m).astype(np.float32)
    x[777] = np.nan
    y = rng.normal(0, 1, m)
    y[1300] = np.inf
    label = rng.integers(0, 3, m).astype(np.int8)
    write(outdir, "bad.root", [("t", [branch("x", x, even_baskets(m, 250), compressed=True),
                                            branch("y", y, even_baskets(m, 333)),
                                            branch("label", label, even_baskets(m, 1500))])], large=True)
    write(outdir, "empty.root", [("t", [branch("x", np.zeros(0, np.float32), [])])], level=0)


if __name__ == "__main__":
    main(sys.argv[1])
