// node --require this file: every net/http server listens on 127.0.0.1 only, whatever host the
// program asks for (kinesalite and kinesis-mock have no option for it). Used by compare.sh.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const a0 = args[0];
  if (a0 !== null && typeof a0 === 'object' && !Array.isArray(a0) && 'port' in a0) {
    args[0] = Object.assign({}, a0, { host: '127.0.0.1' });
  } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
