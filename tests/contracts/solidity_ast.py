"""Solidity source to AST without a compiler (none can be installed here): solidityParserPlus's ANTLR
grammar, with syntax errors made fatal (the parser only prints them by default)."""
from __future__ import annotations

from pathlib import Path


def parse_solidity(path: Path, text: str | None = None) -> dict:
    """The AST of a Solidity file; any syntax error fails (the parser only prints them by default)."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from solidityParserPlus.parserPlus import AstVisitor
    from solidityParserPlus.solidity_antlr4.SolidityLexer import SolidityLexer
    from solidityParserPlus.solidity_antlr4.SolidityParser import SolidityParser

    class Fail(ErrorListener):
        def syntaxError(self, recognizer, symbol, line, column, message, error):
            raise SyntaxError(f"{path}:{line}:{column}: {message}")

    lexer = SolidityLexer(InputStream(path.read_text() if text is None else text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(Fail())
    parser = SolidityParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(Fail())
    return AstVisitor().visit(parser.sourceUnit())
