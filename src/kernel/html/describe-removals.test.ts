import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../i18n/index.ts';
import { describeRemovals, sanitizeRichText } from './index.ts';

describe('describeRemovals', () => {
  const { removed } = sanitizeRichText(
    '<script>a()</script><script>b()</script><p onclick="c()">x</p><a href="javascript:d()">y</a>',
  );

  it('words each removal for the publisher in Chinese', () => {
    assert.deepEqual(describeRemovals(translator('zh-CN'), removed), [
      '已删除不安全的内容：<script>（2 处）',
      '已删除不安全的属性：onclick（1 处）',
      '已删除不允许的地址：javascript:（1 处）。链接可以使用 http、https、mailto、tel 或本站地址；图片可以使用 http、https 地址或上传到本站的文件。',
    ]);
  });

  it('and in English', () => {
    assert.equal(describeRemovals(translator('en'), removed)[0], 'Removed unsafe content: <script> (2)');
  });

  it('says nothing when nothing was removed', () => {
    assert.deepEqual(describeRemovals(translator('zh-CN'), []), []);
  });
});
