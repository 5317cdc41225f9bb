// logger: Structured logging.
module.exports = { name: 'logger', version: '1.0.0' };
