# Writes the seed corpora in fuzz/corpus/<target>/ (small real examples: receipt codes, Telex and VNI
# key streams, asset files, events and protocol messages as the code writes them). Run it again when
# a format changes: python3 fuzz/make_seeds.py. Not part of the build.
import gzip, json, os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'fuzz', 'corpus')
D = [[0,3,1,7,5,9,8,6,4,2],[7,0,9,2,1,5,4,8,6,3],[4,2,0,6,8,7,1,3,5,9],[1,7,5,0,9,8,3,4,2,6],
     [6,1,2,3,0,4,5,9,7,8],[3,6,7,4,2,0,9,5,8,1],[5,8,6,9,7,2,0,1,3,4],[8,9,4,5,3,6,2,0,1,7],
     [9,4,3,8,6,1,7,2,0,5],[2,5,8,1,4,3,6,7,9,0]]
def damm(s):
    i = 0
    for c in s:
        if c.isdigit(): i = D[i][int(c)]
    return str(i)
def code(commune, slot, serial):
    s = f'{commune}{slot:02d}{serial:08d}'
    return s + damm(s)
def write(target, name, data):
    d = os.path.join(out, target); os.makedirs(d, exist_ok=True)
    if isinstance(data, str): data = data.encode('utf-8')
    with open(os.path.join(d, name), 'wb') as f: f.write(data)
def fmt(c): return ' '.join(c[i:i+4] for i in range(0, 16, 4))

# receipt_code
c1 = code('02374', 3, 12345678); c2 = code('02377', 12, 1); c3 = code('02380', 99, 99999999)
write('receipt_code', 'valid', c1)
write('receipt_code', 'valid-grouped', fmt(c2))
write('receipt_code', 'valid-dashes', c3[:4] + '-' + c3[4:8] + '-' + c3[8:12] + '-' + c3[12:])
bad = c1[:-1] + str((int(c1[-1]) + 1) % 10)
write('receipt_code', 'wrong-check', bad)
write('receipt_code', 'swapped', c1[:3] + c1[4] + c1[3] + c1[5:])
write('receipt_code', 'short', c1[:12])
write('receipt_code', 'letters', '0237 40O3 1234 5678')
write('receipt_code', 'official', 'UBND.HY-260105-0042')
write('receipt_code', 'official-bad-date', 'UBND-261305-0001')
write('receipt_code', 'empty-spaces', '   ')

# composer: first byte = options (bit0 VNI, bit1 new style, bit2 brackets)
T, V, NEW, BR = 0, 1, 2, 4
comp = {
 'telex-tieng-viet': (T, 'Tieesng Vieejt'), 'telex-truong': (T, 'truowngf hojc'),
 'telex-dai': (T, 'DDaij hooij ddoongf nhaan daan'), 'telex-undo': (T, 'tesst Gooogle ass aaa ddd'),
 'telex-backspace': (T, 'hoaf\x08n tieesng\x7fg'), 'telex-new-style': (T | NEW, 'hoaf thuyr hoef'),
 'telex-uo': (T, 'thuowr huow nguowif'), 'telex-w': (T, 'w nhw ww'),
 'telex-brackets': (T | BR, 'h[n [[ {}'), 'telex-tone-buttons': (T, 'hoa\x02 tien\x01g xin\x06'),
 'telex-settext': (T, 'Nguyeenx\x0e Vawn\x0f Anh'), 'telex-place': (T, 'Ddawk Lawk, Kroong Buks'),
 'telex-phone': (T, '0912345678 fast xin chaof'),
 'vni-tieng-viet': (V, 'Tie61ng Vie65t'), 'vni-truong': (V, 'tru7o7ng2 ho5c'),
 'vni-dai': (V, 'D9a5i ho65i d9o6ng2'), 'vni-undo': (V, 'a11 a66 d99'),
 'vni-new-style': (V | NEW, 'hoa2 thuy3'), 'vni-backspace': (V, 'hoa2\x08n'),
 'telex-unicode-keys': (T, 'caf\u00e9 \u0301a e\u0300'),
}
for name, (opt, keys) in comp.items():
    write('composer', name, bytes([opt]) + keys.encode('utf-8'))

# reference_data: first byte selects the parser; the text is a real asset file (large ones cut)
def asset(path, rows=None):
    text = open(os.path.join(root, 'assets', path), encoding='utf-8').read()
    if rows is None: return text
    lines = text.split('\n'); kept = []; data = 0
    for l in lines:
        if l.startswith('#') or not l.strip(): kept.append(l); continue
        data += 1
        if data <= rows + 1: kept.append(l)
    return '\n'.join(kept) + '\n'
write('reference_data', 'units', b'\x00' + asset('units.tsv').encode())
write('reference_data', 'holidays-2026', b'\x01' + asset('holidays/2026.tsv').encode())
write('reference_data', 'procedures', b'\x02' + asset('procedures.tsv', rows=4).encode())
write('reference_data', 'petition-kinds', b'\x03' + asset('petition_kinds.tsv').encode())
write('reference_data', 'cccd-provinces', b'\x04' + asset('cccd_provinces.tsv', rows=6).encode())
write('reference_data', 'mobile-prefixes', b'\x05' + asset('mobile_prefixes.tsv').encode())
write('reference_data', 'strings', b'\x06' + asset('strings.tsv', rows=12).encode())
write('reference_data', 'tsv-crlf-bom', b'\x07' + '\ufeffcode\tname\r\n02374\tThị trấn Tân Yên\r\n'.encode())
write('reference_data', 'units-bad-row', b'\x00' + 'code\tname\tlevel\tparent\tvalid_from\tvalid_to\n02374\tThị trấn\n'.encode())

# validation: first byte % 10 selects; 0xFF separates fields of whole forms
val = {
 'cccd': (0, '008 090 000 123'), 'cccd-year': (0, '001234567890'), 'phone': (1, '+84 91 234 5678'),
 'phone-dots': (1, '091.234.5678'), 'phone-landline': (1, '02073822111'),
 'name': (2 | 0x10, 'Nguyễn Văn Ánh'), 'name-decomposed': (2, 'Nguye\u0302\u0303n Thi\u0323 Hoa'),
 'name-digits': (2 | 0x10, 'Lê Văn 3'), 'address': (3, 'Thôn Đồng Bàng,  xã Yên Thuận'),
 'content': (4, 'Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất.\r\n\r\n\r\nXin cảm ơn.'),
 'normalize': (5 | 0x30 | 0x08, ' a\u00a0 b\u3000c \n\n\n d '), 'fold': (6, 'Đăng ký KHAI SINH  ở xã'),
 'codepoints': (7, 'Tuyên Quang \U0001f600'), 'invalid-utf8': (7, None),
}
for name, (sel, text) in val.items():
    data = text.encode('utf-8') if text is not None else b'ab\xc3(\xed\xa0\x80\xf4\x90\x80\x80'
    write('validation', name, bytes([sel]) + data)
sep = b'\xff'
write('validation', 'petition', bytes([8]) + sep.join(x.encode() for x in
      ['khieu-nai', 'Nguyễn Văn Ánh', '008090000123', '0912345678', 'Thôn Đồng Bàng',
       'Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất.']))
write('validation', 'petition-anonymous', bytes([8]) + sep.join(x.encode() for x in
      ['to-cao', '', '', '0861234567', '', 'Tố cáo việc lấn chiếm đất công.']))
write('validation', 'dossier-post', bytes([9 | 0x30]) + sep.join(x.encode() for x in
      ['1.001193', 'Trần Thị Bình', '0321234567', '', 'post', 'Thôn Khánh Hòa']))

# events
def uuid(n): return f'{n:08x}-1f2e-4d3c-8b4a-{n:012x}'
HLC = (1767232800000 << 16) | 3
def petition_payload(rc, kind='khieu-nai'):
    return {'code': rc, 'kind': 'petition', 'commune': '02374', 'submitted_at': 1767232800,
            'content': 'Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất.',
            'identity': {'name': 'Nguyễn Văn Ánh', 'cccd': '008090000123', 'phone': '0912345678',
                         'address': 'Thôn Đồng Bàng'}, 'petition_kind': kind}
def dossier_payload(rc):
    return {'code': rc, 'kind': 'dossier', 'commune': '02374', 'submitted_at': 1767232800,
            'content': '', 'identity': {'name': 'Trần Thị Bình', 'cccd': '', 'phone': '0321234567',
            'address': 'Thôn Khánh Hòa'}, 'procedure': '1.001193', 'delivery': 'post'}
def event(n, rc, kind, action, role, actor, payload, seq, at=1767232800, kiosk='k1'):
    return {'uuid': uuid(n), 'record': rc, 'record_kind': kind, 'action': action,
            'actor': {'role': role, 'id': actor}, 'hlc': HLC + n, 'at': at + n * 3600,
            'payload': payload, 'kiosk': kiosk, 'seq': seq}
pc = code('02374', 1, 1000); dc = code('02374', 1, 1001); tc = code('02374', 1, 1002)
submit = event(1, pc, 'petition', 'submit', 'kiosk', 'k1', petition_payload(pc), 1)
register = event(2, dc, 'dossier', 'register', 'kiosk', 'k1', dossier_payload(dc), 2)
accept = event(3, pc, 'petition', 'accept', 'commune', 'cb01', {}, 3)
reqinfo = event(4, pc, 'petition', 'request-info', 'commune', 'cb01', {'note': 'Bổ sung bản sao sổ đỏ.'}, 4)
resolve = event(5, pc, 'petition', 'resolve', 'commune', 'cb01', {'note': 'Đã giải quyết.'}, 5)
process = event(6, dc, 'dossier', 'process', 'commune', 'cb02', {}, 6)
ready = event(7, dc, 'dossier', 'ready', 'commune', 'cb02', {}, 7)
deliver = event(8, dc, 'dossier', 'deliver', 'commune', 'cb02', {}, 8)
tosub = event(9, tc, 'petition', 'submit', 'kiosk', 'k1', petition_payload(tc, 'to-cao'), 9)
transfer = event(10, tc, 'petition', 'transfer', 'commune', 'cb01', {'note': 'Vượt thẩm quyền.'}, 10)
extend = event(11, tc, 'petition', 'extend', 'district', 'h01', {'note': 'Phức tạp.'}, 11)
assign = event(12, dc, 'dossier', 'assign-code', 'district', 'h01', {'official_code': 'UBND.HY-260105-0042'}, 12)
J = lambda v: json.dumps(v, ensure_ascii=False, separators=(',', ':'))
write('event', 'submit', J(submit)); write('event', 'register', J(register))
write('event', 'accept', J(accept)); write('event', 'payload-only', J(petition_payload(pc)))
write('event', 'petition-flow', J([submit, accept, reqinfo, accept, resolve]))
write('event', 'dossier-flow', J([register, process, ready, deliver, assign]))
write('event', 'to-cao-flow', J([tosub, transfer, extend]))
write('event', 'bad-uuid', J(dict(submit, uuid='not-a-uuid')))
write('event', 'huge-numbers', J(dict(submit, at=-9223372036854775808, hlc=18446744073709551615,
                                       payload=dict(petition_payload(pc), submitted_at=9223372036854775807))))

# push: requests and responses as the protocol writes them
def push(events, hb=True):
    m = {'version': 1, 'kiosk': 'k1', 'events': events}
    if hb: m['heartbeat'] = {'app_version': '0.1.0', 'queue_depth': len(events), 'clock_ms': 1767232800123, 'free_disk_mb': 2048}
    return J(m)
flow = [submit, register, accept, process, reqinfo, ready]
write('push', 'request', push(flow))
write('push', 'request-no-heartbeat', push([submit], hb=False))
write('push', 'request-malformed-event', push([submit, {'seq': 2, 'uuid': uuid(77), 'action': 'fly'}]))
write('push', 'response', J({'version': 1, 'kiosk': 'k1', 'commune': '02374', 'acked_seq': 3,
      'results': [{'uuid': uuid(1), 'seq': 1, 'outcome': 'accepted', 'record': pc, 'status': 'received'},
                  {'uuid': uuid(2), 'seq': 2, 'outcome': 'duplicate'},
                  {'uuid': uuid(3), 'seq': 3, 'outcome': 'rejected', 'record': pc,
                   'reason': {'code': 'action.not-allowed', 'vi': 'Không được phép.', 'en': 'Not allowed.'}}],
      'server_time_ms': 1767232801000, 'clock_skew_ms': -877}))
write('push', 'wrong-version', J({'version': 2, 'kiosk': 'k1', 'events': []}))

# pull: selector byte then body
snap = {'code': pc, 'official_code': '', 'kind': 'petition', 'commune': '02374', 'status': 'accepted',
        'received_on': '2026-01-01', 'due': '2026-02-02', 'submitted_at': 1767232800,
        'result_note': '', 'complex': False, 'extensions': 0, 'petition_kind': 'khieu-nai'}
page = {'version': 1, 'changes': [
    {'seq': 1, 'type': 'record', 'record': snap, 'events': [submit, accept]},
    {'seq': 2, 'type': 'rejection', 'uuid': uuid(5), 'record': pc,
     'reason': {'code': 'action.not-allowed', 'vi': 'Không được phép.', 'en': 'Not allowed.'}},
    {'seq': 3, 'type': 'catalog', 'procedures': [{'id': '1.001193', 'name': 'Thủ tục đăng ký khai sinh'}]},
    {'seq': 4, 'type': 'holidays', 'holidays': [{'date': '2026-09-02', 'name': 'Quốc khánh'}]}],
    'next': '4.0a1b2c3d', 'more': False, 'server_time_ms': 1767232801000, 'kiosk': 'k1', 'commune': '02374'}
write('pull', 'page', b'\x00' + J(page).encode())
write('pull', 'page-empty', b'\x00' + J({'version': 1, 'changes': [], 'next': '0', 'more': False}).encode())
write('pull', 'whoami', b'\x01' + J({'version': 1, 'kiosk': 'k1', 'commune': '02374', 'acked_seq': 8, 'server_time_ms': 1}).encode())
write('pull', 'error-409', b'\x02' + J({'error': 'sequence-reused', 'message': 'renumber', 'message_vi': 'đánh số lại', 'acked_seq': 41}).encode())
write('pull', 'cursor', b'\x03' + b'42.0a1b2c3d')
write('pull', 'cursor-zero', b'\x03' + b'0')
write('pull', 'query', b'\x34' + b'42.0a1b2c3d\xff250')
write('pull', 'query-bad-limit', b'\x34' + b'0\xff12abc')

# server: push body [0xFF since [0xFF limit]]
write('server', 'petition-flow', push([submit, accept, reqinfo]).encode() + b'\xff0\xff2')
write('server', 'dossier-flow', push([dict(register, seq=1), dict(process, seq=2), dict(ready, seq=3), dict(deliver, seq=4)]).encode() + b'\xff0')
write('server', 'gap', push([submit, dict(accept, seq=3)]).encode())
write('server', 'rejections', push([accept, dict(submit, seq=2), dict(extend, seq=3), dict(submit, seq=4, uuid=uuid(99))]).encode() + b'\xff1.00\xff1')
write('server', 'foreign-commune', push([dict(submit, payload=dict(petition_payload(pc), commune='02377'))]).encode())
write('server', 'pull-only', b'\xff0\xff1000')

# safe_json and gzip
write('safe_json', 'event', J(submit)); write('safe_json', 'page', J(page))
write('safe_json', 'deep', '[' * 9 + ']' * 9); write('safe_json', 'strings', '{"a":"[\\"{","b":[1,2.5e3,null,true]}')
write('safe_json', 'bad-utf8', b'{"a":"\xc0\xaf"}')
write('gzip', 'push', gzip.compress(push(flow).encode(), mtime=0))
write('gzip', 'empty', gzip.compress(b'', mtime=0))
write('gzip', 'bomb-small', gzip.compress(b'\0' * 200000, mtime=0))
write('gzip', 'truncated', gzip.compress(J(page).encode(), mtime=0)[:-6])
write('gzip', 'plain', J(page))
