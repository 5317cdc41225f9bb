// core-utils: Small helpers every other package uses.
module.exports = { name: 'core-utils', version: '1.2.0' };
