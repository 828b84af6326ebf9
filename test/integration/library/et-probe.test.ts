import { copyFile, chmod } from 'node:fs/promises';
import { it } from 'vitest';
import { ExiftoolProcess } from '../../../src-main/engine/image/exiftool.js';
it('probe', async () => {
  const et = new ExiftoolProcess();
  await copyFile('/tmp/m13/a.jpg', '/tmp/m13/b.jpg');
  await et.writeKeywords('/tmp/m13/b.jpg.xmp', { subject: ['bird', 'héron'], hierarchical: ['Anytag|bird'] });
  console.log(await et.readKeywords('/tmp/m13/b.jpg.xmp'));
  await et.writeKeywords('/tmp/m13/b.jpg', { subject: ['bird', 'x'], iptc: ['bird'] });
  console.log(await et.readKeywords('/tmp/m13/b.jpg'));
  await copyFile('/tmp/m13/a.jpg', '/tmp/m13/ro.jpg'); await chmod('/tmp/m13/ro.jpg', 0o444);
  try { await et.writeKeywords('/tmp/m13/ro.jpg', { subject: ['x'] }); } catch (e) { console.log('ERR', e); }
  await et.end();
});
