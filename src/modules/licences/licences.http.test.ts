import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson, generateSm2KeyPair, sm2KeyId, sm2Sign } from '../../kernel/crypto/index.ts';
import { readPdfEmbedded, renderPdf } from '../../kernel/pdf/index.ts';
import { createLicencesWorld, issueBody, multipartPdf, type LicencesWorld } from './licences.fixtures.ts';
import { licenceDocument } from './licence.pdf.ts';
import { licenceOf } from './licence.store.ts';

interface Answer {
  status: string;
  message: string;
  reasons: { code: string; message: string }[];
  altered: { part: string; label: string }[];
  licence?: { holder: { name: string; idNumber: string }; issuer: { name: string } };
  revocation?: { at: string; reason: string };
}

describe('electronic licences over HTTP: issue, verify, download, revoke', () => {
  let w: LicencesWorld;
  let marketId = '';
  let caseLicence = '';
  let pdf: Buffer;

  before(async () => {
    w = await createLicencesWorld();
  });
  after(() => w.y.drop());

  const verify = async (id: string) => {
    const res = await w.api(null, 'GET', `/api/v1/licences/${id}/verification`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Answer;
  };
  const present = async (body: object) => {
    const res = await w.api(null, 'POST', '/api/v1/licences/verification', body);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Answer;
  };

  it('issues for the caller’s own department, and verification by id says valid with the holder masked', async () => {
    const res = await w.api('market', 'POST', '/api/v1/licences', issueBody());
    assert.equal(res.statusCode, 201, res.body);
    const l = res.json() as {
      id: string;
      issuer: { name: string };
      holder: { idNumber: string };
      verificationUrl: string;
    };
    marketId = l.id;
    assert.match(l.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(l.issuer.name, '西湖区市场监督管理局');
    assert.equal(l.holder.idNumber, '3301**********123X');
    assert.match(l.verificationUrl, new RegExp(`/licences/${l.id}$`));

    const v = await verify(l.id);
    assert.equal(v.status, 'valid');
    assert.deepEqual(v.licence!.holder, { kind: 'person', name: '张**', idNumber: '3301**********123X' });
    assert.equal(v.licence!.issuer.name, '西湖区市场监督管理局');
    const page = await w.api(null, 'GET', `/licences/${l.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /有效/);
    assert.match(page.body, /3301\*\*\*\*\*\*\*\*\*\*123X/);
    assert.doesNotMatch(page.body + JSON.stringify(v), /33010619900101123X|张演示/);
    const en = await w.api(null, 'GET', `/licences/${l.id}?lang=en`);
    assert.match(en.body, /Valid/);
  });

  it('refuses staff without the permission, and bad input field by field', async () => {
    assert.equal((await w.api('handler', 'POST', '/api/v1/licences', issueBody())).statusCode, 403);
    assert.equal((await w.api(null, 'POST', '/api/v1/licences', issueBody())).statusCode, 401);
    const bad = await w.api(
      'market',
      'POST',
      '/api/v1/licences',
      issueBody({
        holder: { kind: 'person', name: '张演示', idNumber: '330106199001011231' },
        validFrom: '2026-02-30',
      }),
    );
    assert.equal(bad.statusCode, 400);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['holder/idNumber', 'validFrom']);
  });

  it('binds the licence to the applicant of the case it names, and only the holder downloads its PDF', async () => {
    const c = await w.api('citizen', 'POST', '/api/v1/cases', {
      definition: 'demo.assistance',
      title: '临时救助申请',
      data: { reason: '家中失火', amount: 3000 },
      division: '330106',
    });
    assert.equal(c.statusCode, 201, c.body);
    const number = (c.json() as { number: string }).number;
    assert.equal(
      (await w.api('market', 'POST', '/api/v1/licences', issueBody({ caseNumber: number }))).statusCode,
      400,
      'a case the issuer cannot see',
    );
    const res = await w.api('centre', 'POST', '/api/v1/licences', issueBody({ caseNumber: number }));
    assert.equal(res.statusCode, 201, res.body);
    caseLicence = (res.json() as { id: string }).id;

    const mine = await w.api('citizen', 'GET', '/account/licences');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, new RegExp(`/account/licences/${caseLicence}\\.pdf`));
    assert.doesNotMatch(
      mine.body,
      new RegExp(marketId),
      'a licence without the holder’s account is not listed',
    );
    const download = await w.api('citizen', 'GET', `/account/licences/${caseLicence}.pdf`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    pdf = download.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.equal((await w.api('company', 'GET', `/account/licences/${caseLicence}.pdf`)).statusCode, 404);
    assert.equal((await w.api('centre', 'GET', `/account/licences/${caseLicence}.pdf`)).statusCode, 403);
    assert.equal((await w.api(null, 'GET', `/account/licences/${caseLicence}.pdf`)).statusCode, 303);
    assert.deepEqual(await w.auditOf(caseLicence), ['licence.issued', 'licence.downloaded']);
  });

  it('verifies the downloaded PDF as valid — by the API (application/pdf) and by the upload page', async () => {
    const res = await w.y.app.inject({
      method: 'POST',
      url: '/api/v1/licences/verification',
      headers: { 'content-type': 'application/pdf' },
      payload: pdf,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as Answer).status, 'valid');
    const form = await w.formOf(null, '/licences/verification');
    const body = multipartPdf(form.token, pdf);
    const page = await w.y.app.inject({
      method: 'POST',
      url: '/licences/verification',
      headers: { cookie: form.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, /light-green/);
  });

  it('says invalid and names the field of an altered PDF; invalid for a forged signature', async () => {
    const embedded = (await readPdfEmbedded(pdf))!;
    const data = JSON.parse(embedded.licence!) as {
      fields: { key: string; value: string }[];
      holder: { name: string };
    };
    data.fields.find((f) => f.key === 'scope')!.value = '热食类食品制售；生食类食品制售';
    data.holder.name = '李四';
    const altered = await present({ data, signature: embedded.signature, keyId: embedded.keyId });
    assert.equal(altered.status, 'invalid');
    assert.deepEqual(
      altered.reasons.map((r) => r.code),
      ['data_altered'],
    );
    assert.deepEqual(altered.altered.map((a) => `${a.part}=${a.label}`).sort(), [
      'fields.scope=经营项目',
      'holder.name=持证人名称',
    ]);

    // The same, as a PDF someone re-made with the altered data inside.
    const row = await w.y.db.kysely
      .selectFrom('licences.licence')
      .selectAll()
      .where('id', '=', caseLicence)
      .executeTakeFirstOrThrow();
    const doc = licenceDocument(
      licenceOf(row),
      { idNumber: '33010619900101123X', canonical: canonicalJson(data) },
      'http://localhost/licences/x',
    );
    const forgedPdf = await renderPdf(doc);
    const form = await w.formOf(null, '/licences/verification');
    const body = multipartPdf(form.token, forgedPdf);
    const page = await w.y.app.inject({
      method: 'POST',
      url: '/licences/verification',
      headers: { cookie: form.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
    assert.match(page.body, /无效/);
    assert.match(page.body, /经营项目/);

    const other = generateSm2KeyPair();
    const original = JSON.parse(embedded.licence!) as object;
    const forged = await present({
      data: original,
      signature: sm2Sign(other.privateKeyPem, canonicalJson(original)),
      keyId: embedded.keyId,
    });
    assert.equal(forged.status, 'invalid');
    assert.deepEqual(
      forged.reasons.map((r) => r.code),
      ['signature'],
    );
    assert.equal(
      (await present({ data: embedded.licence, signature: embedded.signature, keyId: embedded.keyId }))
        .status,
      'valid',
    );
  });

  it('answers unknown for a licence well signed by a key this site does not have, invalid when its signature fails', async () => {
    const stranger = generateSm2KeyPair();
    const keyId = sm2KeyId(stranger.publicKeyHex);
    const data = {
      format: 'yiwang.licence/1',
      id: 'ZZZZZZZZZZZZZZZZZZZZZZ',
      keyId,
      publicKey: stranger.publicKeyHex,
    };
    const signature = sm2Sign(stranger.privateKeyPem, canonicalJson(data));
    const elsewhere = await present({ data, signature, keyId });
    assert.equal(elsewhere.status, 'unknown');
    assert.deepEqual(
      elsewhere.reasons.map((r) => r.code),
      ['not_issued_here'],
    );
    const broken = await present({ data: { ...data, id: 'YYYYYYYYYYYYYYYYYYYYYY' }, signature, keyId });
    assert.equal(broken.status, 'invalid');
    const { publicKey: _p, ...bare } = data;
    assert.deepEqual(
      (await present({ data: bare, signature, keyId })).reasons.map((r) => r.code),
      ['key_unknown'],
    );
    assert.deepEqual(
      (await verify('ZZZZZZZZZZZZZZZZZZZZZZ')).reasons.map((r) => r.code),
      ['not_found'],
    );
    assert.equal((await verify('not-an-id')).status, 'unknown');
    const junk = await w.y.app.inject({
      method: 'POST',
      url: '/api/v1/licences/verification',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.7 not really'),
    });
    assert.deepEqual(
      (junk.json() as Answer).reasons.map((r) => r.code),
      ['unreadable'],
    );
  });

  it('revokes by the issuing department only; then says revoked, when and why', async () => {
    const byOther = await w.api('civil', 'POST', `/api/v1/licences/${marketId}/revocation`, {
      reason: '越权撤销',
    });
    assert.equal(byOther.statusCode, 403);
    assert.equal(
      (await w.api('handler', 'POST', `/api/v1/licences/${marketId}/revocation`, { reason: 'x' })).statusCode,
      403,
    );
    const res = await w.api('market', 'POST', `/api/v1/licences/${marketId}/revocation`, {
      reason: '经营者申请注销',
    });
    assert.equal(res.statusCode, 200, res.body);
    const v = await verify(marketId);
    assert.equal(v.status, 'revoked');
    assert.equal(v.revocation!.reason, '经营者申请注销');
    assert.ok(Date.now() - Date.parse(v.revocation!.at) < 60_000);
    assert.match(v.message, /经营者申请注销/);
    assert.equal(
      (await w.api('market', 'POST', `/api/v1/licences/${marketId}/revocation`, { reason: '再次撤销' }))
        .statusCode,
      409,
    );
    assert.deepEqual(await w.auditOf(marketId), ['licence.issued', 'licence.revoked']);
  });

  it('catches a row altered in the database, and an expired licence', async () => {
    const res = await w.api(
      'market',
      'POST',
      '/api/v1/licences',
      issueBody({ validFrom: '2020-01-01', validUntil: '2020-12-31' }),
    );
    const id = (res.json() as { id: string }).id;
    assert.deepEqual(
      (await verify(id)).reasons.map((r) => r.code),
      ['expired'],
    );
    await w.y.db.kysely
      .updateTable('licences.licence')
      .set({ valid_until: '2099-12-31' })
      .where('id', '=', id)
      .execute();
    const v = await verify(id);
    assert.equal(v.status, 'invalid');
    assert.deepEqual(
      v.reasons.map((r) => r.code),
      ['data_altered'],
    );
  });
});
